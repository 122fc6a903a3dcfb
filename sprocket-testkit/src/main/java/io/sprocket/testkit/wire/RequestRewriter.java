package io.sprocket.testkit.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * A loopback TCP relay in front of a WebSocket listener that rewrites each connection's HTTP request head (for
 * headers Sprocket's dialer would never send) and then copies bytes both ways untouched. Each connection uses
 * two daemon threads, which end with it.
 */
public final class RequestRewriter implements AutoCloseable {
    private final ServerSocket server;
    private final int upstream;
    private final UnaryOperator<String> rewrite;

    /** Relays from an ephemeral port to {@code upstreamPort} on 127.0.0.1, passing each request head through {@code rewrite}. */
    public RequestRewriter(int upstreamPort, UnaryOperator<String> rewrite) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstream = upstreamPort;
        this.rewrite = rewrite;
        daemon(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket up = new Socket()) {
            up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream), 10_000);
            InputStream in = client.getInputStream();
            String head = readHead(in);
            up.getOutputStream().write(rewrite.apply(head).getBytes(StandardCharsets.ISO_8859_1));
            Thread back = daemon(() -> pump(up, client));
            pump(client, up);
            back.join(10_000);
        } catch (IOException | InterruptedException e) {
            // the connection is over
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("closed in the request head");
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both. */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "request-rewriter");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
