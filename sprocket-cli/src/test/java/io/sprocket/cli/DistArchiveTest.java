package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI distribution archive the package phase made ({@code target/sprocket-<version>.tar.gz}), unpacked as a
 * user would: its {@code bin/sprocket} prints the version (with the class-data sharing archive in {@code lib/}
 * used, when the build made one) and runs a one-shot REQ/REP between two of its processes (the epoll library
 * loaded from {@code lib/native}). Tagged {@code dist}:
 * it runs in the {@code dist-archive} execution of the verify phase, after the archive exists.
 */
@Tag("dist")
class DistArchiveTest {
    private static final Duration T = PeerProcess.MAX_WAIT;
    private static final String NATIVE_LOADER = "io.netty.util.internal.NativeLibraryLoader";

    @TempDir
    Path dir;

    private static String version() {
        return Usage.version().substring("sprocket ".length());
    }

    /** {@code bin/sprocket ARGS} of the unpacked archive, on this test's JVM. */
    private static List<String> sprocket(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env",
                "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                home.resolve("bin/sprocket").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theUnpackedArchiveRunsTheCli() throws IOException {
        Path archive = Path.of("target", "sprocket-" + version() + ".tar.gz").toAbsolutePath();
        assertThat(archive).as("made by the package phase").isRegularFile();
        try (PeerProcess tar = PeerProcess.run("tar", List.of("tar", "-xzf", archive.toString(), "-C",
                dir.toString()))) {
            assertThat(tar.awaitExit(T)).as(tar.describe()).isZero();
        }
        Path home = dir.resolve("sprocket-" + version());
        assertThat(home.resolve("bin/sprocket")).isExecutable();
        assertThat(home.resolve("lib/sprocket-cli-all.jar")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");
        assertThat(home.resolve("lib/native/libnetty_transport_native_epoll_x86_64.so")).isRegularFile();
        boolean cds;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            cds = lib.anyMatch(p -> p.getFileName().toString().endsWith(".jsa"));
        }

        Path classLog = dir.resolve("classes.log");
        List<String> version = sprocket(home, "--version");
        version.add(2, "SPROCKET_JAVA_OPTS=-Xlog:class+load:file=" + classLog);
        try (PeerProcess v = PeerProcess.run("sprocket --version", version)) {
            assertThat(v.awaitExit(T)).as(v.describe()).isZero();
            assertThat(v.stdout().strip()).isEqualTo("sprocket " + version());
            assertThat(v.stderr()).isEmpty();
        }
        if (cds) { // a build with -Dsprocket.cds.skip has none
            assertThat(Files.readString(classLog)).as("classes mapped from lib/'s class-data sharing archive")
                    .contains("source: shared objects file");
        }

        String url = "ipc://" + dir.resolve("rep.sock");
        try (PeerProcess rep = PeerProcess.run("rep", sprocket(home, "--rep", "--listen", url, "-D", "pong",
                "-C", "1", "-A"))) {
            Await.until("the rep process listens", T, () -> Files.exists(dir.resolve("rep.sock")) || !rep.isAlive());
            List<String> request = sprocket(home, "--req", "--dial", url, "-D", "ping", "-C", "1", "-A");
            request.add(2, "SPROCKET_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log." + NATIVE_LOADER + "=debug");
            try (PeerProcess req = PeerProcess.run("req", request)) {
                assertThat(req.awaitExit(T)).as(req.describe()).isZero();
                assertThat(req.stdout().strip()).isEqualTo("pong");
                // from lib/native, by name (a copy out of the jar would be loaded by its temporary path)
                assertThat(req.stderr()).as("the epoll library loaded from lib/native")
                        .contains("Successfully loaded the library netty_transport_native_epoll_x86_64");
            }
            assertThat(rep.awaitExit(T)).as(rep.describe()).isZero();
            assertThat(rep.stdout().strip()).isEqualTo("ping");
        }
    }
}
