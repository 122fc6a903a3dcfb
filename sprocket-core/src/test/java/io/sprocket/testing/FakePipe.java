package io.sprocket.testing;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipe without a connection, for a protocol's unit tests: a send queue of a given capacity whose messages stay
 * until {@link #flush()} "writes" them, a closed flag, and whether the protocol asked to hear of room again.
 */
public final class FakePipe implements ProtocolPipe {
    private final int id;
    private final Protocol peer;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final List<Message> written = new ArrayList<>();
    private int capacity = Integer.MAX_VALUE;
    private boolean closed;
    private boolean wantsRoom;

    public FakePipe(int id, Protocol peer) {
        this.id = id;
        this.peer = peer;
    }

    /** How many messages its send queue takes (default: any number); 0 makes it full. */
    public FakePipe capacity(int n) {
        capacity = n;
        return this;
    }

    /** The messages queued and not yet written, oldest first. */
    public List<Message> queued() {
        return new ArrayList<>(queue);
    }

    /** Bodies (as text) of what is queued, oldest first. */
    public List<String> queuedBodies() {
        List<String> out = new ArrayList<>();
        for (Message m : queue) {
            out.add(m.bodyString());
        }
        return out;
    }

    /** Writes everything queued (as a flush would); returns it. */
    public List<Message> flush() {
        List<Message> out = new ArrayList<>(queue);
        written.addAll(queue);
        queue.clear();
        return out;
    }

    /** Everything written so far, oldest first. */
    public List<Message> written() {
        return written;
    }

    /** Whether a refused send (or a false {@link #canSend}) asked to hear of room again; clears the request. */
    public boolean takeRoomRequest() {
        boolean w = wantsRoom;
        wantsRoom = false;
        return w;
    }

    public boolean isClosed() {
        return closed;
    }

    private boolean hasRoom() {
        return !closed && queue.size() < capacity;
    }

    @Override
    public boolean canSend() {
        if (hasRoom()) {
            return true;
        }
        wantsRoom = true;
        return false;
    }

    @Override
    public boolean send(Message message) {
        if (!canSend()) {
            return false;
        }
        queue.add(message);
        return true;
    }

    @Override
    public boolean sendDropOldest(Message message) {
        if (send(message)) {
            return true;
        }
        if (!closed && !queue.isEmpty()) {
            queue.poll();
            queue.add(message);
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Protocol peer() {
        return peer;
    }

    @Override
    public String transport() {
        return "fake";
    }

    @Override
    public String remoteAddress() {
        return "fake-" + id;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return closed ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : new java.util.concurrent.CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "fake pipe " + id;
    }
}
