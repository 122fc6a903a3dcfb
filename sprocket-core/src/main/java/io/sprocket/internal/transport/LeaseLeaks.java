package io.sprocket.internal.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's record of leased message bodies ({@code recv-zero-copy}) that were released by the garbage
 * collector because nobody closed them: the first is logged as a warning, the rest only counted.
 */
public final class LeaseLeaks {
    private static final Logger LOG = LoggerFactory.getLogger("io.sprocket.MessageLease");

    private final String socket;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param socket how the log names the socket */
    public LeaseLeaks(String socket) {
        this.socket = socket;
    }

    /** A leased body of {@code bytes} bytes was collected without being closed (on the cleaner's thread). */
    public void collected(int bytes) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("{}: a received message lease ({} bytes, recv-zero-copy) was never closed; its memory was"
                    + " given back by the garbage collector. Close leases (try-with-resources) or use receive()."
                    + " Further ones on this socket are not logged.", socket, bytes);
        }
    }
}
