package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ws.WsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Java blocks are the blocks between the markers below, verbatim (so they compile against today's
 * API), and the first one runs as the README says.
 */
class ReadmeSnippetTest {

    @Test
    void theReadmesJavaBlocksAreTheBlocksOfThisClass() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String self = Files.readString(Path.of("src", "test", "java", "io", "sprocket", "ReadmeSnippetTest.java"));
        assertThat(blocks(self, Pattern.compile("// README block begins\\n(.*?)\\n\\s*// README block ends",
                Pattern.DOTALL), 8)).isEqualTo(blocks(readme, Pattern.compile("```java\\n(.*?)\\n```",
                Pattern.DOTALL), 0)).hasSize(4);
        assertThat(readme).contains("`socket.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(2))`");
    }

    /** The text of each match's group 1, with {@code indent} leading spaces taken off each line. */
    private static List<String> blocks(String text, Pattern p, int indent) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1).lines().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                    .reduce((a, b) -> a + "\n" + b).orElse(""));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unused")
    void theTenLinesPrintPong() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
        // README block begins
        try (Socket rep = Socket.open(Protocol.REP0); Socket req = Socket.open(Protocol.REQ0)) {
            Listener listener = rep.listen("tcp://127.0.0.1:0");          // port 0: pick a free port
            req.dial("tcp://127.0.0.1:" + listener.port());
            req.send(Message.of("ping"));
            Message request = rep.receive();
            rep.send(Message.of("pong"));                                  // goes back to the requester
            System.out.println(req.receive().bodyString());                // pong
            CompletableFuture<Message> next = rep.receiveAsync();         // async form, cancellable
        }
        // README block ends
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("pong" + System.lineSeparator());
    }

    /** The options example: compiled, not run (it binds a fixed port). */
    @SuppressWarnings("unused")
    private static void options(TlsConfig tls) {
        // README block begins
        Socket rep = Socket.open(Protocol.REP0);
        rep.setOption(SocketOption.RECV_SIZE_MAX, 1L << 20);           // socket: the default of every endpoint
        rep.listener("wss://0.0.0.0:8443/api")
                .setOption(TlsOptions.CONFIG, tls)                     // this listener only
                .setOption(WsOptions.ALLOWED_ORIGINS, Set.of("https://example.org"))
                .start();
        rep.resetOption(SocketOption.RECV_SIZE_MAX);                   // the default again (setOption takes no null)
        // README block ends
    }

    /** The PUB example, run with two subscribers that keep up. */
    @Test
    void thePubExampleReachesBothSubscribers() throws Exception {
        try (Socket pub = Socket.open(Protocol.PUB0); Socket a = Socket.open(Protocol.SUB0);
                Socket b = Socket.open(Protocol.SUB0)) {
            String url = "tcp://127.0.0.1:" + pub.listen("tcp://127.0.0.1:0").port();
            for (Socket sub : List.of(a, b)) {
                sub.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(20));
                sub.subscribe("");
                sub.dial(url);
            }
            publish(pub);
            assertThat(a.receive().bodyString()).isEqualTo("tick 1");
            assertThat(b.receive().bodyString()).isEqualTo("tick 1");
        }
    }

    private static void publish(Socket pub) {
        // README block begins
        pub.setOption(SocketOption.SEND_TIMEOUT, Duration.ofSeconds(5)).setOption(SocketOption.PUB_LOSSLESS, true);
        pub.awaitSubscribers(2, Duration.ofSeconds(10));               // both subscribers connected
        pub.send(Message.of("tick 1"));                                // waits while a subscriber's queue is full
        // README block ends
    }

    /** The zero-copy example: compiled, not run. */
    private static void zeroCopy(Socket sub, Socket pub, Socket pair, ByteBuffer direct) {
        // README block begins
        sub.setOption(SocketOption.RECV_ZERO_COPY, true);              // before dial/listen: endpoints read it at start
        try (MessageLease m = sub.receiveLease()) {                    // the body is the read buffer, until close()
            consume(m.body());
        }
        pub.send(Message.of(direct));                                  // a direct ByteBuffer: written without a copy
        pair.send(pair.receiveLease());                                // an echo: the leased body goes back, no copy
        // README block ends
    }

    private static void consume(ByteBuffer body) {
    }
}
