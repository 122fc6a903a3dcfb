package io.sprocket.interop;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Socket;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/** What the interop tests share: transports, addresses, socket set-up and failure context. */
final class InteropSupport {
    /** The deadline of every wait in the interop tests. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private InteropSupport() {
    }

    /** The transports the reference peers share with us (nanocat has no TLS: {@link Peer#supports(Transport)}). */
    enum Transport {
        TCP("tcp"), IPC("ipc"), WS("ws"), TLS("tls+tcp"), WSS("wss");

        final String scheme;

        Transport(String scheme) {
            this.scheme = scheme;
        }

        /** Whether the transport runs over TLS (the peer needs certificate flags, Java a TlsConfig). */
        boolean secure() {
            return this == TLS || this == WSS;
        }

        @Override
        public String toString() {
            return scheme;
        }
    }

    /** The transports every one of {@code peers} supports, for tests with several peers at once. */
    static Stream<Transport> transports(Peer... peers) {
        return Arrays.stream(Transport.values()).filter(t -> Arrays.stream(peers).allMatch(p -> p.supports(t)));
    }

    /**
     * Where one side listens and what the other side dials: the same URL, except over TLS, where the dialer names
     * {@code localhost} (what the test certificate is for; NNG 1.5 matches names only, not IP addresses).
     */
    record Address(String listen, String dial) {
        /**
         * The address on {@code port} (0: any, for a Java listener) or, for ipc, at {@code dir/sock}. A ws URL has
         * a path for nngcat (an NNG 1.x dialer sends an empty request-URI without one); nanocat cannot listen on a
         * path and dials {@code /} without one, so its URLs have none.
         */
        static Address of(Transport t, Peer peer, Path dir, String sock, int port) {
            return switch (t) {
                case TCP -> same("tcp://127.0.0.1:" + port);
                case IPC -> same("ipc://" + dir.resolve(sock));
                case WS -> same("ws://127.0.0.1:" + port + (peer == Peer.NANOCAT ? "" : "/sp"));
                case TLS -> new Address("tls+tcp://127.0.0.1:" + port, "tls+tcp://localhost:" + port);
                // an NNG ws listener answers 404 unless Host names its listen host: listen on all addresses
                case WSS -> new Address("wss://*:" + port + "/sp", "wss://localhost:" + port + "/sp");
            };
        }

        private static Address same(String url) {
            return new Address(url, url);
        }
    }

    /**
     * Java's TLS settings, for either side: the test CA's {@code localhost} certificate when listening, the test CA
     * when dialing (a listener asks for no client certificate, so one config does both).
     */
    static TlsConfig tls() {
        TestCerts certs = TestCerts.get();
        return TlsConfig.newBuilder().certificate(certs.file("server.pem"), certs.file("server.key"))
                .caFile(certs.file("ca.pem")).build();
    }

    /** Java listens on {@code t} and returns the URL for {@code peer} to dial ({@code sock}: the ipc file name). */
    static String listen(Socket java, Transport t, Peer peer, Path dir, String sock) {
        if (t.secure()) {
            java.setOption(TlsOptions.CONFIG, tls());
        }
        Listener l = java.listen(Address.of(t, peer, dir, sock, 0).listen());
        return Address.of(t, peer, dir, sock, l.port()).dial();
    }

    /** Java dials {@code url} in the background, redialing until the peer is up. */
    static void dialInBackground(Socket java, Transport t, String url) {
        if (t.secure()) {
            java.setOption(TlsOptions.CONFIG, tls());
        }
        java.dialer(url).startInBackground();
    }

    /** A free address for a peer to listen on ({@code sock}: the ipc file name). */
    static Address peerAddress(Transport t, Peer peer, Path dir, String sock) {
        return Address.of(t, peer, dir, sock, t == Transport.IPC ? 0 : Ports.free());
    }

    /** A Java socket with deadlines on every blocking call and fast redials (the peer may not be up yet). */
    static Socket open(io.sprocket.Protocol protocol) {
        return Sockets.redialing(protocol, WAIT);
    }

    /**
     * Connects a Java socket and a peer process: when {@code javaListens}, Java listens first (ephemeral port or a
     * fresh ipc path) and the peer dials; otherwise the peer listens on a free port or path and Java dials in the
     * background, redialing until the peer is up.
     *
     * @param peerArgs makes the peer's arguments from its endpoint flags
     */
    static PeerProcess connect(Socket java, Peer peer, Transport transport, boolean javaListens, Path dir,
            Function<List<String>, List<String>> peerArgs) {
        if (javaListens) {
            String url = listen(java, transport, peer, dir, "j.sock");
            return PeerProcess.start(peer.binary, peerArgs.apply(peer.endpoint(false, url)));
        }
        Address a = peerAddress(transport, peer, dir, "p.sock");
        PeerProcess p = PeerProcess.start(peer.binary, peerArgs.apply(peer.endpoint(true, a.listen())));
        try {
            dialInBackground(java, transport, a.dial());
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    static List<String> args(String first, List<String> endpoint, String... more) {
        List<String> a = new ArrayList<>();
        a.add(first);
        a.addAll(endpoint);
        a.addAll(List.of(more));
        return a;
    }

    /** A test body: ASCII {@code text}, then bytes the quoted output must escape (NUL, DEL, high bytes, quote...). */
    static byte[] body(String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] tail = {'|', 0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff, '"', '\\', '\n', 'z'};
        byte[] b = new byte[t.length + tail.length];
        System.arraycopy(t, 0, b, 0, t.length);
        System.arraycopy(tail, 0, b, t.length, tail.length);
        return b;
    }

    /** Receives on {@code java}; fails early, with the peer's output, if the peer exits with an error first. */
    static Message receive(Socket java, PeerProcess peer) {
        return await(java.receiveAsync(), peer, "receive");
    }

    /** Sends on {@code java}; fails early, with the peer's output, if the peer exits with an error first. */
    static void send(Socket java, PeerProcess peer, byte[] body) {
        await(java.sendAsync(Message.of(body)), peer, "send");
    }

    private static <T> T await(CompletableFuture<T> op, PeerProcess peer, String what) {
        CompletableFuture<Integer> peerFailed = peer.exitCode()
                .thenCompose(code -> code == 0 ? new CompletableFuture<>() : CompletableFuture.completedFuture(code));
        try {
            CompletableFuture.anyOf(op, peerFailed).get(WAIT.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            op.cancel(true);
            throw new AssertionError("java " + what + " did not finish within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.cancel(true);
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            // one of them failed: reported below
        }
        if (!op.isDone()) {
            op.cancel(true);
            throw new AssertionError("peer exited with code " + peerFailed.join() + " while java waited to " + what);
        }
        try {
            return op.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Does {@code action} (e.g. publish once) and waits up to {@code every} for the peer to print {@code expected};
     * again and again until it does, failing after {@link #WAIT}. For messages that are lost until the peer is
     * connected (PUB, SURVEYOR, BUS): the wait, not a sleep, paces the repeats.
     *
     * @return how many times {@code action} ran
     */
    static int repeatUntilPrinted(PeerProcess peer, String expected, Duration every, ThrowingRunnable action)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int n = 1;; n++) {
            action.run();
            if (peer.stdoutContainsWithin(expected, every)) {
                return n;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("peer did not print " + expected.strip() + " within " + WAIT + " ("
                        + n + " tries)");
            }
        }
    }

    /**
     * The peer's {@code --interval} for repeating publishers, surveyors and bus senders: nngcat takes whole
     * seconds only, nanocat takes fractions.
     */
    static String interval(Peer peer) {
        return peer == Peer.NNGCAT ? "1" : "0.2";
    }

    /** The lines of the peer's stdout ({@code -Q}: one quoted message per line). */
    static List<String> lines(PeerProcess peer) {
        return peer.stdout().lines().toList();
    }

    /** Runs {@code check}, adding the peer's command line and output to any failure. */
    static void withPeerContext(PeerProcess peer, ThrowingRunnable check) throws Exception {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            AssertionError a = new AssertionError(e.getMessage() + "\npeer:\n" + peer.describe(), e);
            throw a;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
