package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testkit.PeerProcess;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI as a module application: {@code java -p <jars> --add-modules io.netty.transport.epoll.linux.x86_64 -m
 * io.sprocket.cli/io.sprocket.cli.Main}. Module {@code io.sprocket} then finds its transports, protocols and its
 * implementation through module-info's {@code provides} (the class path's services files are not read).
 */
class ModulePathLaunchTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String EPOLL = "io.netty.transport.epoll.linux.x86_64";

    /** The test JVM's module path plus Netty's native epoll jar (surefire leaves it on the class path). */
    private static String modulePath() {
        String modules = System.getProperty("jdk.module.path", "");
        assertThat(modules).as("the CLI's tests run on the module path").contains("sprocket-core");
        List<String> epollJar = Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(p -> p.contains("netty-transport-native-epoll")).toList();
        assertThat(epollJar).as("the native epoll jar").isNotEmpty();
        return Stream.concat(Stream.of(modules), epollJar.stream()).collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=io.netty.common");
        }
        cmd.addAll(List.of("-p", modulePath(), "--add-modules", EPOLL));
        cmd.addAll(List.of("-m", "io.sprocket.cli/" + Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    @Test
    void theModuleAnswersARequestAndWarnsOfNothing() {
        try (Socket req = CliSockets.open(Protocol.REQ0, T)) {
            Listener l = req.listen("tcp://127.0.0.1:0");
            try (PeerProcess rep = PeerProcess.run("sprocket -m", command("--rep", "--dial",
                    "tcp://127.0.0.1:" + l.port(), "--data", "pong", "--count", "1"))) {
                req.send(Message.of("ping"));
                assertThat(req.receive().bodyString()).isEqualTo("pong");
                assertThat(rep.awaitExit(T)).as(rep.describe()).isZero();
                assertThat(rep.stderr()).as("no warning (native access, missing provider...)").isEmpty();
            }
        }
    }

    @Test
    void helpRunsAsAModule() {
        try (PeerProcess help = PeerProcess.run("sprocket -m --help", command("--help"))) {
            help.awaitExit(T);
            assertThat(help.stdout() + help.stderr()).contains("--req").doesNotContain("WARNING");
        }
    }
}
