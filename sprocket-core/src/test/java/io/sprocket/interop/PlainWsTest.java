package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sprocket's ws transport with WebSocket implementations that know nothing of SP: the JDK's
 * {@link java.net.http.WebSocket} client and node's npm package {@code ws} ({@link NodeWs}), as a browser would use
 * them: one subprotocol naming Java's protocol, binary messages, and for REP a request id with the high bit set in
 * front of the body. The JDK client also checks the refusals, text frames, pings and closes; a node server that
 * echoes checks what Java's dialers send.
 */
class PlainWsTest {
    /** A REQ request id (the high bit marks the last word of the backtrace). */
    private static final byte[] ID = {(byte) 0x80, 0x12, 0x34, 0x56};
    /** Over one 64 KiB frame: Java's listener sends it in several. */
    private static final int LARGE = 200_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A WebSocket client that sends one binary message as soon as it is open. */
    interface PlainClient extends AutoCloseable {
        /** Waits until the connection is open with {@code subprotocol}. */
        void awaitOpen(String subprotocol);

        /** Waits for the binary message {@code expected}. */
        void awaitReceived(byte[] expected);

        @Override
        void close();
    }

    enum Client {
        JDK, NODE;

        PlainClient connect(URI uri, String subprotocol, byte[] first, Path dir) throws Exception {
            if (this == JDK) {
                Jdk c = Jdk.connect(uri, subprotocol);
                c.ws.sendBinary(ByteBuffer.wrap(first), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return c;
            }
            Path file = Files.write(Files.createTempFile(dir, "first", ".bin"), first);
            PeerProcess p = NodeWs.start("client", uri.toString(), subprotocol, file.toString());
            return new PlainClient() {
                @Override
                public void awaitOpen(String subprotocol) {
                    p.awaitStdout("open " + subprotocol + "\n", WAIT);
                }

                @Override
                public void awaitReceived(byte[] expected) {
                    p.awaitStdout(NodeWs.received(expected), WAIT);
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        }
    }

    static Stream<Arguments> clientsProtocolsAndSizes() {
        return Stream.of(Client.values()).flatMap(c -> Stream.of(Protocol.REP0, Protocol.PAIR0)
                .flatMap(p -> Stream.of(Arguments.of(c, p, 40), Arguments.of(c, p, LARGE))));
    }

    /**
     * The client names Java's protocol, sends first (REP: id and request), Java answers (REP: the same id comes
     * back in front of the reply).
     */
    @ParameterizedTest(name = "{0} client, java {1} listens, {2} bytes")
    @MethodSource("clientsProtocolsAndSizes")
    void clientTalksToAJavaListener(Client client, Protocol protocol, int size, @TempDir Path dir) throws Exception {
        byte[] fromClient = bytes("client-" + client, size);
        byte[] fromJava = bytes("java-" + protocol, size);
        byte[] header = protocol == Protocol.REP0 ? ID : new byte[0];
        String subprotocol = subprotocol(protocol);
        try (Socket java = InteropSupport.open(protocol)) {
            URI uri = URI.create("ws://127.0.0.1:" + java.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            try (PlainClient c = client.connect(uri, subprotocol, concat(header, fromClient), dir)) {
                c.awaitOpen(subprotocol);
                Message m = java.receive();
                assertThat(m.body()).as("what the %s client sent", client).isEqualTo(fromClient);
                java.send(Message.of(fromJava));
                c.awaitReceived(concat(header, fromJava));
            }
        }
    }

    /**
     * Three clients send a request with the same id at once: the REP listener answers each on its own connection
     * (a reply is routed by pipe, the id only comes back with it).
     */
    @Test
    void repAnswersClientsThatUseTheSameId(@TempDir Path dir) throws Exception {
        try (Socket rep = InteropSupport.open(Protocol.REP0)) {
            URI uri = URI.create("ws://127.0.0.1:" + rep.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            List<PlainClient> clients = new ArrayList<>();
            try {
                for (Client kind : new Client[] {Client.JDK, Client.JDK, Client.NODE}) {
                    clients.add(kind.connect(uri, "rep.sp.nanomsg.org",
                            concat(ID, bytes("client " + clients.size(), 20)), dir));
                }
                for (int i = 0; i < clients.size(); i++) {
                    Message request = rep.receive();
                    byte[] answer = concat(bytes("answer to ", 10), request.body());
                    rep.send(Message.of(answer));
                }
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).awaitReceived(concat(ID, concat(bytes("answer to ", 10), bytes("client " + i, 20))));
                }
            } finally {
                clients.forEach(PlainClient::close);
            }
        }
    }

    /**
     * A message over the socket's receive limit closes the connection with 1009 (as NNG), also when only the
     * fragments together are over it.
     */
    @ParameterizedTest(name = "in {0} fragment(s)")
    @ValueSource(ints = {1, 3})
    void messageOverTheReceiveLimitClosesWith1009(int fragments) throws Exception {
        try (Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            pair.setOption(SocketOption.RECV_SIZE_MAX, 1000L);
            URI uri = URI.create("ws://127.0.0.1:" + pair.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            try (Jdk c = Jdk.connect(uri, "pair.sp.nanomsg.org")) {
                for (int i = 1; i <= fragments; i++) {
                    c.ws.sendBinary(ByteBuffer.wrap(bytes("big", 1200 / fragments)), i == fragments)
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
                assertThat(c.next()).isEqualTo(new Closed(1009));
            }
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(Arguments.of("req.sp.nanomsg.org", "/plain", 400), Arguments.of(null, "/plain", 400),
                Arguments.of("rep.sp.nanomsg.org, req.sp.nanomsg.org", "/plain", 400),
                Arguments.of("rep.sp.nanomsg.org", "/other", 404));
    }

    /** A REP listener refuses the wrong subprotocol, none, a list, and another path, with NNG's statuses. */
    @ParameterizedTest(name = "subprotocol {0}, path {1}: {2}")
    @MethodSource("refusals")
    void jdkClientIsRefused(String subprotocol, String path, int status) {
        try (Socket rep = InteropSupport.open(Protocol.REP0)) {
            int port = rep.listen("ws://127.0.0.1:0/plain").port();
            WebSocket.Builder b = HTTP.newWebSocketBuilder();
            if (subprotocol != null) {
                String[] offered = subprotocol.split(", ");
                b.subprotocols(offered[0], Arrays.copyOfRange(offered, 1, offered.length));
            }
            assertThatThrownBy(() -> b.buildAsync(URI.create("ws://127.0.0.1:" + port + path), new Jdk())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(status));
        }
    }

    /**
     * A text frame is not SP: the listener closes with 1003 (as NNG) and delivers nothing, so the next client's
     * binary message is the first message Java receives. The next client connects once the first one's pipe is
     * gone: PAIR refuses a second peer while it has one.
     */
    @Test
    void textFrameClosesTheConnectionWith1003(@TempDir Path dir) throws Exception {
        try (Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            AtomicInteger removed = new AtomicInteger();
            pair.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe pipe) {
                }

                @Override
                public void pipeRemoved(Pipe pipe) {
                    removed.incrementAndGet();
                }
            });
            URI uri = URI.create("ws://127.0.0.1:" + pair.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            try (Jdk c = Jdk.connect(uri, "pair.sp.nanomsg.org")) {
                c.ws.sendText("not SP", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(c.next()).isEqualTo(new Closed(1003));
            }
            Await.until("the first client's pipe removed", WAIT, () -> removed.get() == 1);
            try (PlainClient c = Client.JDK.connect(uri, "pair.sp.nanomsg.org", bytes("binary", 10), dir)) {
                assertThat(pair.receive().body()).isEqualTo(bytes("binary", 10));
            }
        }
    }

    /**
     * With ws:send-text the JDK client gets Java's messages as text, cut into frames or not (a message's frames
     * together: a character may be cut between two); one that is not UTF-8 is sent as it is, as NNG does, and
     * the client fails the connection on it.
     */
    @Test
    void sendTextReachesTheJdkClientAsText() throws Exception {
        try (Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            int port = pair.listener("ws://127.0.0.1:0/plain").setOption(WsOptions.SEND_TEXT, true)
                    .setOption(WsOptions.SEND_FRAME_MAX, 5).start().port();
            try (Jdk c = Jdk.connect(URI.create("ws://127.0.0.1:" + port + "/plain"), "pair.sp.nanomsg.org")) {
                for (String text : new String[] {"short", "héllo wörld, ça va ? €uro ✓"}) {
                    pair.send(Message.of(text));
                    assertThat(c.next()).isEqualTo("text: " + text);
                }
                pair.send(Message.of(new byte[] {'a', (byte) 0xc3, '(', 'b'}));
                assertThat(c.next()).isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.getCause()).hasMessageContaining("Invalid UTF-8"));
            }
        }
    }

    /**
     * A message in three fragments with a ping between them arrives whole; the ping is answered with its payload
     * at once, before the message is complete.
     */
    @Test
    void fragmentsAndAPingBetweenThem() throws Exception {
        try (Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            URI uri = URI.create("ws://127.0.0.1:" + pair.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            try (Jdk c = Jdk.connect(uri, "pair.sp.nanomsg.org")) {
                byte[] whole = bytes("fragmented", 3000);
                c.ws.sendBinary(ByteBuffer.wrap(whole, 0, 1000), false).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                c.ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(c.next()).isEqualTo(new Pong("010203"));
                c.ws.sendBinary(ByteBuffer.wrap(whole, 1000, 1000), false)
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                c.ws.sendBinary(ByteBuffer.wrap(whole, 2000, 1000), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(pair.receive().body()).isEqualTo(whole);
            }
        }
    }

    /**
     * A client's close is answered with 1000 (NNG does not echo the code), and the PAIR listener, whose one peer
     * is gone, takes the next client.
     */
    @Test
    void closeIsAnsweredAndThePairTakesTheNextClient(@TempDir Path dir) throws Exception {
        try (Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            URI uri = URI.create("ws://127.0.0.1:" + pair.listen("ws://127.0.0.1:0/plain").port() + "/plain");
            try (Jdk c = Jdk.connect(uri, "pair.sp.nanomsg.org")) {
                c.ws.sendBinary(ByteBuffer.wrap(bytes("first", 10)), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(pair.receive().body()).isEqualTo(bytes("first", 10));
                c.ws.sendClose(4000, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(c.next()).isEqualTo(new Closed(1000));
            }
            try (PlainClient c = Client.JDK.connect(uri, "pair.sp.nanomsg.org", bytes("second", 10), dir)) {
                assertThat(pair.receive().body()).isEqualTo(bytes("second", 10));
                pair.send(Message.of(bytes("to second", 10)));
                c.awaitReceived(bytes("to second", 10));
            }
        }
    }

    /**
     * Java dials a node server that echoes: it names the listener's protocol (REQ names rep, ...) and sends a path;
     * what it sends comes back as it was, so REQ gets its request back as the reply (same id).
     */
    @ParameterizedTest(name = "java {0} dials")
    @EnumSource(value = Protocol.class, names = {"PAIR0", "PAIR1", "REQ0", "BUS0"})
    void javaDialsAnEchoingNodeServer(Protocol protocol) throws Exception {
        try (PeerProcess server = NodeWs.start("server", "echo"); Socket java = InteropSupport.open(protocol)) {
            String url = "ws://127.0.0.1:" + port(server) + "/echo/" + protocol;
            java.dial(url);
            server.awaitStdout("connected " + subprotocol(protocol.peer()) + " /echo/" + protocol + "\n", WAIT);
            for (int size : new int[] {40, LARGE}) {
                byte[] body = bytes("echo-" + protocol, size);
                java.send(Message.of(body));
                assertThat(java.receive().body()).as("%d bytes back", size).isEqualTo(body);
            }
        }
    }

    /** A server that does not echo the subprotocol is refused, as NNG's dialer does. */
    @Test
    void javaDialerRefusesAServerThatEchoesNoSubprotocol() {
        try (PeerProcess server = NodeWs.start("server", "noecho"); Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            String url = "ws://127.0.0.1:" + port(server) + "/";
            assertThatThrownBy(() -> pair.dial(url)).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("subprotocol")
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
        }
    }

    static String subprotocol(Protocol p) {
        return p.wireName() + ".sp.nanomsg.org";
    }

    static int port(PeerProcess server) {
        server.awaitStdout("listening ", WAIT);
        server.awaitStdout("\n", WAIT);
        String line = server.stdout().lines().filter(l -> l.startsWith("listening ")).findFirst().orElseThrow();
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    /** {@code size} bytes: {@code tag}, then every byte value over and over. */
    static byte[] bytes(String tag, int size) {
        byte[] b = new byte[size];
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = i < t.length ? t[i] : (byte) (i * 7);
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    record Closed(int code) {
    }

    record Pong(String hex) {
    }

    /** The JDK's client: every message, pong, close and error goes into a queue that the test takes from. */
    static final class Jdk implements PlainClient, WebSocket.Listener {
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final StringBuilder partialText = new StringBuilder();
        private WebSocket ws;

        static Jdk connect(URI uri, String subprotocol) throws Exception {
            Jdk c = new Jdk();
            c.ws = HTTP.newWebSocketBuilder().subprotocols(subprotocol).buildAsync(uri, c)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return c;
        }

        /**
         * The next event: a {@code byte[]} message, {@link Pong}, {@link Closed}, a text message ({@code "text: "}
         * and its text) or an error.
         */
        Object next() throws InterruptedException {
            Object e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("an event from the JDK client within %s", WAIT).isNotNull();
            return e;
        }

        @Override
        public void awaitOpen(String subprotocol) {
            assertThat(ws.getSubprotocol()).isEqualTo(subprotocol);
        }

        @Override
        public void awaitReceived(byte[] expected) {
            try {
                assertThat(next()).isEqualTo(expected);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                events.add(partial.toByteArray());
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partialText.append(data);
            if (last) {
                events.add("text: " + partialText);
                partialText.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            events.add(new Pong(HexFormat.of().formatHex(b)));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Closed(statusCode));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(error);
        }

        @Override
        public void close() {
            if (ws != null) {
                ws.abort();
            }
        }
    }
}
