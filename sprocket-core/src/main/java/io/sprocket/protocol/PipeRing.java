package io.sprocket.protocol;

import io.sprocket.Message;
import io.sprocket.spi.ProtocolPipe;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipes of a load-balancing protocol (REQ, PUSH, raw REQ), picked round robin among those with room, so busy
 * peers get less. Not thread-safe: used under the socket lock.
 */
public final class PipeRing {
    private final List<ProtocolPipe> pipes = new ArrayList<>();
    private int next;

    public void add(ProtocolPipe p) {
        pipes.add(p);
    }

    public void remove(ProtocolPipe p) {
        pipes.remove(p);
    }

    /** All pipes, in connection order (for protocols that send to every peer). */
    public List<ProtocolPipe> all() {
        return pipes;
    }

    /** Queues {@code m} on every pipe with room (a full pipe misses it); never waits. */
    public void sendToAll(Message m) {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            pipes.get(i).send(m);
        }
    }

    /** The next pipe with room in its send queue, or null if none has. */
    public ProtocolPipe ready() {
        int n = pipes.size();
        for (int i = 0; i < n; i++) {
            ProtocolPipe p = pipes.get((next + i) % n);
            if (p.canSend()) {
                next = (next + i + 1) % n;
                return p;
            }
        }
        return null;
    }
}
