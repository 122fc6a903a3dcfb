package io.sprocket.testkit.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A hand-driven SP-over-TCP peer for wire tests: does the 8-byte header exchange and sends and reads frames
 * byte by byte, so tests control exactly what goes on the wire.
 */
public final class RawSpConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private byte[] peerHeader;

    private RawSpConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connects without any handshake. */
    public static RawSpConnection connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return new RawSpConnection(s);
    }

    /** Connects and exchanges SP headers, claiming protocol {@code selfId}. */
    public static RawSpConnection handshake(int port, int selfId) throws IOException {
        RawSpConnection c = connect(port);
        c.sendHeader(selfId);
        c.readHeader();
        return c;
    }

    public void sendHeader(int selfId) throws IOException {
        out.write(new byte[] {0, 'S', 'P', 0, (byte) (selfId >> 8), (byte) selfId, 0, 0});
        out.flush();
    }

    public byte[] readHeader() throws IOException {
        peerHeader = new byte[8];
        in.readFully(peerHeader);
        return peerHeader;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one frame: u64 length, then the payload. */
    public void sendFrame(byte[] payload) throws IOException {
        out.writeLong(payload.length);
        out.write(payload);
        out.flush();
    }

    /** Reads one frame's payload. */
    public byte[] readFrame() throws IOException {
        long len = in.readLong();
        if (len < 0 || len > 64 << 20) {
            throw new IOException("unexpected frame length " + len);
        }
        byte[] b = new byte[(int) len];
        in.readFully(b);
        return b;
    }

    /** Whether the peer closed the connection within the socket timeout (reads until EOF or reset). */
    public boolean closedByPeer() throws IOException {
        try {
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // discard anything still in flight
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    public void setTimeoutMillis(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    /** Builds a payload of big-endian ints followed by {@code body}. */
    public static byte[] payload(int[] words, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4 + body.length);
        for (int w : words) {
            b.putInt(w);
        }
        b.put(body);
        return b.array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
