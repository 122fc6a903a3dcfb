package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.sprocket.testkit.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The GraalVM native-image metadata sprocket-core ships ({@code META-INF/native-image/io.sprocket/sprocket-core/}):
 * every file parses, every class it names exists with the constructors it names, and it covers what Sprocket
 * looks up reflectively: the {@code ServiceLoader} providers and every named Netty {@code ChannelHandler} class
 * (Netty asks each handler class for its public methods to skip the events it does not handle). No GraalVM here:
 * whether an image builds and runs is not tested.
 */
class NativeImageMetadataTest {
    private static final Path DIR = Path.of("src/main/resources/META-INF/native-image/io.sprocket/sprocket-core");
    private static final Path SERVICES = Path.of("src/main/resources/META-INF/services");

    private static List<Map<String, Object>> reflectConfig() throws IOException {
        Object parsed = Json.parse(Files.readString(DIR.resolve("reflect-config.json")));
        assertThat(parsed).as("reflect-config.json is an array").isInstanceOf(List.class);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) parsed) {
            assertThat(o).as("an entry is an object").isInstanceOf(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) o;
            out.add(entry);
        }
        return out;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeImageMetadataTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the native-image metadata names " + name + ", which does not exist", e);
        }
    }

    @Test
    void everyFileParsesAndEveryClassNamedExists() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".json")) {
                    Json.parse(Files.readString(f)); // testkit's reader: throws on malformed JSON
                }
            }
        }
        List<Map<String, Object>> entries = reflectConfig();
        assertThat(entries).isNotEmpty();
        for (Map<String, Object> e : entries) {
            assertThat(e.get("name")).as("every entry names a class: %s", e).isInstanceOf(String.class);
            Class<?> c = load((String) e.get("name"));
            if (e.get("condition") instanceof Map<?, ?> cond) {
                load((String) cond.get("typeReachable"));
            }
            if (e.get("methods") instanceof List<?> methods) {
                for (Object m : methods) {
                    Map<?, ?> method = (Map<?, ?>) m;
                    Class<?>[] params = ((List<?>) method.get("parameterTypes")).stream()
                            .map(t -> load((String) t)).toArray(Class<?>[]::new);
                    if ("<init>".equals(method.get("name"))) {
                        assertThat(params).as("%s: constructors named take no arguments", c).isEmpty();
                        assertThat(c.getConstructor()).as("%s has a public no-argument constructor", c).isNotNull();
                    } else {
                        // a private member reached with a private lookup (e.g. Message's, by spi.Messages)
                        assertThat(c.getDeclaredMethod((String) method.get("name"), params))
                                .as("%s declares the method %s", c, method).isNotNull();
                    }
                }
            }
            if (e.get("fields") instanceof List<?> fields) {
                for (Object f : fields) {
                    assertThat(c.getDeclaredField((String) ((Map<?, ?>) f).get("name")))
                            .as("%s declares the field %s", c, f).isNotNull();
                }
            }
        }
    }

    @Test
    void everyServiceProviderIsListed() throws IOException {
        TreeSet<String> listed = new TreeSet<>();
        for (Map<String, Object> e : reflectConfig()) {
            if (e.containsKey("methods")) {
                listed.add((String) e.get("name"));
            }
        }
        TreeSet<String> providers = new TreeSet<>();
        try (Stream<Path> files = Files.list(SERVICES)) {
            for (Path f : files.toList()) {
                Files.readAllLines(f).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .forEach(providers::add);
            }
        }
        assertThat(providers).hasSizeGreaterThan(10);
        assertThat(listed).as("reflect-config.json lists the META-INF/services providers with their constructors")
                .containsAll(providers);
    }

    @Test
    void everyNamedChannelHandlerClassIsListed() throws IOException {
        TreeSet<String> listed = new TreeSet<>();
        for (Map<String, Object> e : reflectConfig()) {
            if (Boolean.TRUE.equals(e.get("queryAllPublicMethods"))) {
                listed.add((String) e.get("name"));
            }
        }
        Path classes = Path.of("target/classes");
        TreeSet<String> handlers = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.toList()) {
                String rel = classes.relativize(f).toString();
                if (!rel.endsWith(".class") || rel.endsWith("module-info.class") || rel.endsWith("package-info.class")) {
                    continue;
                }
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                Class<?> c = load(name);
                // anonymous handlers (initializers) are left out: their names change with the code around them, and
                // without the metadata Netty only calls every event method of theirs instead of skipping some
                if (ChannelHandler.class.isAssignableFrom(c) && !c.isInterface() && !c.isAnonymousClass()) {
                    handlers.add(name);
                }
            }
        }
        assertThat(handlers).as("handlers found").contains("io.sprocket.internal.core.PipeHandler");
        TreeSet<String> missing = new TreeSet<>(handlers);
        missing.removeAll(listed);
        StringBuilder add = new StringBuilder();
        for (String m : missing) {
            add.append("\n  {\"condition\": {\"typeReachable\": \"").append(m).append("\"}, \"name\": \"").append(m)
                    .append("\", \"queryAllPublicMethods\": true},");
        }
        assertThat(missing).as("ChannelHandler classes missing from reflect-config.json; add:%s", add).isEmpty();
    }
}
