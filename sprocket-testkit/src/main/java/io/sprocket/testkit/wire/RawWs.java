package io.sprocket.testkit.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-driven WebSocket peer over a plain {@link Socket} for wire tests: writes exactly the bytes a test gives
 * (HTTP heads, frames with any header) and reads HTTP heads and frames byte by byte. Public for the CLI's tests.
 */
public final class RawWs implements AutoCloseable {
    /** One received frame. */
    public record Frame(boolean fin, int opcode, boolean masked, byte[] payload, boolean rsv1) {
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | (payload[1] & 0xff) : -1;
        }
    }

    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawWs(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawWs connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return new RawWs(s);
    }

    /** A GET upgrade request head for {@code path} with the given subprotocol (none if null) and key. */
    public static String upgrade(String path, int port, String subprotocol, String key) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n";
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads an HTTP head up to and including the blank line. */
    public String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in HTTP head: " + b.toString(StandardCharsets.ISO_8859_1));
            }
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** The status code of a response head. */
    public static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Encodes a frame; {@code mask} as a client must. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, boolean mask) {
        return frame((fin ? 0x80 : 0) | opcode, payload, mask);
    }

    /** Encodes a frame whose first byte (FIN, RSV bits, opcode) is {@code b0}. */
    public static byte[] frame(int b0, byte[] payload, boolean mask) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(b0);
        int m = mask ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            b.write(m | n);
        } else if (n < 65536) {
            b.write(m | 126);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) n >> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        if (mask) {
            ThreadLocalRandom.current().nextBytes(key);
            b.writeBytes(key);
        }
        for (int i = 0; i < n; i++) {
            b.write(payload[i] ^ (mask ? key[i % 4] : 0));
        }
        return b.toByteArray();
    }

    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long n = b1 & 0x7f;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] key = new byte[4];
        boolean masked = (b1 & 0x80) != 0;
        if (masked) {
            in.readFully(key);
        }
        byte[] p = new byte[(int) n];
        in.readFully(p);
        for (int i = 0; masked && i < p.length; i++) {
            p[i] ^= key[i % 4];
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0f, masked, p, (b0 & 0x40) != 0);
    }

    /** Whether the peer closed the connection (EOF) before the read timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /** Reads everything until the peer closes (a reset ends it too). */
    public byte[] readToEof() throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            for (int c; (c = in.read()) >= 0; ) {
                b.write(c);
            }
        } catch (java.net.SocketException reset) {
            // what came before it counts
        }
        return b.toByteArray();
    }

    /** Reads and drops bytes until the peer closes; false if it does not within the read timeout. */
    public boolean drainsToEof() throws IOException {
        try {
            while (in.read() >= 0) {
                // skip
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
