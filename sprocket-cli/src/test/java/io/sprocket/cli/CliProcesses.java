package io.sprocket.cli;

import io.sprocket.testkit.PeerProcess;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The processes of one CLI test: the real {@code nngcat} and our CLI in a JVM of its own ({@code java -cp <test
 * class and module path> io.sprocket.cli.Main}), each a {@link PeerProcess}; {@link #close()} (an
 * {@code @AfterEach} or try-with-resources) kills them all.
 */
final class CliProcesses implements AutoCloseable {
    private final PeerProcess.Group group = new PeerProcess.Group();

    /** Starts the real nngcat (a missing one fails under CI=true, skips otherwise). */
    PeerProcess nngcat(String... args) {
        return group.start("nngcat", args);
    }

    /** Starts our CLI in a new JVM. */
    PeerProcess ours(String... args) {
        return ours(List.of(), args);
    }

    /** Starts our CLI in a new JVM with extra JVM options (e.g. a heap size). */
    PeerProcess ours(List<String> jvmOptions, String... args) {
        return group.run("sprocket", oursCommand(jvmOptions, args));
    }

    /** The command line that runs our CLI from the test classpath. */
    static List<String> oursCommand(String... args) {
        return oursCommand(List.of(), args);
    }

    /** The command line that runs our CLI from the test classpath with extra JVM options. */
    static List<String> oursCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(testPath());
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /**
     * The test JVM's class path and module path as one class path (the tests run patched into module
     * io.sprocket.cli, so the CLI and core are on the module path): the child runs on the class path, as
     * {@code bin/sprocket}'s shaded jar does.
     */
    static String testPath() {
        String modules = System.getProperty("jdk.module.path", "");
        String classes = System.getProperty("java.class.path", "");
        return modules.isEmpty() ? classes : classes.isEmpty() ? modules : modules + File.pathSeparator + classes;
    }

    @Override
    public void close() {
        group.close();
    }
}
