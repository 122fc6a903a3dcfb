package io.sprocket.internal.core;

/**
 * One pipe's traffic: messages and bytes (SP header plus body, without the transport's framing) handed to the
 * socket and written to the connection. Written only on the pipe's event loop, once per read burst
 * ({@link PipeHandler}) and once per flush ({@link SendQueue}), never per message, and added to the socket's
 * totals at the same time; read from any thread by the stats snapshot (volatile: no lock, nothing allocated).
 */
final class PipeCounters {
    private final SocketCounters socket;
    private volatile long rxMsgs;
    private volatile long rxBytes;
    private volatile long txMsgs;
    private volatile long txBytes;

    /** @param socket the socket's totals, or null (tests) */
    PipeCounters(SocketCounters socket) {
        this.socket = socket;
    }

    /** {@code n} messages of {@code bytes} bytes in all went to the socket (event loop). */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the pipe's event loop
    void received(int n, long bytes) {
        rxMsgs += n;
        rxBytes += bytes;
        if (socket != null) {
            socket.rxMsgs.add(n);
            socket.rxBytes.add(bytes);
        }
    }

    /** {@code n} messages of {@code bytes} bytes in all were written to the connection (event loop). */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the pipe's event loop
    void sent(int n, long bytes) {
        txMsgs += n;
        txBytes += bytes;
        if (socket != null) {
            socket.txMsgs.add(n);
            socket.txBytes.add(bytes);
        }
    }

    long rxMsgs() {
        return rxMsgs;
    }

    long rxBytes() {
        return rxBytes;
    }

    long txMsgs() {
        return txMsgs;
    }

    long txBytes() {
        return txBytes;
    }
}
