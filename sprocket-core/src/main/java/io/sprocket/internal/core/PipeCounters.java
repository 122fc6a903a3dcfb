package io.sprocket.internal.core;

/**
 * One pipe's traffic: messages and bytes (SP header plus body, without the transport's framing) handed to the
 * socket ({@link #rx}) and written to the connection ({@link #tx}). Written only on the pipe's event loop, once
 * per read burst ({@link PipeHandler}) and once per flush ({@link SendQueue}), never per message, and added to the
 * socket's totals at the same time; read from any thread by the stats snapshot (volatile: no lock, nothing
 * allocated).
 */
final class PipeCounters {
    /** One direction's counts. */
    static final class Flow {
        private final SocketCounters.Totals socket;
        private volatile long msgs;
        private volatile long bytes;

        private Flow(SocketCounters.Totals socket) {
            this.socket = socket;
        }

        /** {@code n} messages of {@code total} bytes in all (event loop: the one writer). */
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        void add(int n, long total) {
            msgs += n;
            bytes += total;
            if (socket != null) {
                socket.msgs.add(n);
                socket.bytes.add(total);
            }
        }

        long msgs() {
            return msgs;
        }

        long bytes() {
            return bytes;
        }
    }

    /** Read and handed to the socket. */
    final Flow rx;
    /** Written to the connection. */
    final Flow tx;

    /** @param socket the socket's totals, or null (tests) */
    PipeCounters(SocketCounters socket) {
        this.rx = new Flow(socket == null ? null : socket.rx);
        this.tx = new Flow(socket == null ? null : socket.tx);
    }
}
