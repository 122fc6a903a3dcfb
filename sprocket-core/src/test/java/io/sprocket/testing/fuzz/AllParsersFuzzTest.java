package io.sprocket.testing.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * One fuzz target that is all of them, so that one JVM (one Jazzer start-up, ~10 s) fuzzes every parser in a CI
 * run ({@code scripts/fuzz.sh --ci}): the first byte of the input picks a target of {@code targets.txt} (modulo
 * their number), the rest is that target's input. Targets are called by reflection (they are package-private, in
 * the packages of the code they fuzz); their static warm-ups run when this class loads.
 */
class AllParsersFuzzTest {
    private static final List<Method> TARGETS = new ArrayList<>();
    private static final List<Object> INSTANCES = new ArrayList<>();

    static {
        try (InputStream in = AllParsersFuzzTest.class.getResourceAsStream("targets.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int hash = line.indexOf('#');
                Class<?> c = Class.forName(line.substring(0, hash));
                Method m = c.getDeclaredMethod(line.substring(hash + 1), byte[].class);
                m.setAccessible(true);
                Constructor<?> k = c.getDeclaredConstructor();
                k.setAccessible(true);
                TARGETS.add(m);
                INSTANCES.add(k.newInstance());
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void any(byte[] input) throws Throwable {
        if (input.length == 0) {
            return;
        }
        int i = (input[0] & 0xff) % TARGETS.size();
        try {
            TARGETS.get(i).invoke(INSTANCES.get(i), (Object) Arrays.copyOfRange(input, 1, input.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
