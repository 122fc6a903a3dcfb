package io.sprocket.testing;

import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the pipes a socket added and removed: {@code PipeCount pipes = PipeCount.on(socket);}. */
public final class PipeCount implements PipeListener {
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();

    /** A count of {@code socket}'s pipes from now on (and of those it has). */
    public static PipeCount on(Socket socket) {
        PipeCount c = new PipeCount();
        socket.addPipeListener(c);
        return c;
    }

    @Override
    public void pipeAdded(Pipe pipe) {
        added.incrementAndGet();
    }

    @Override
    public void pipeRemoved(Pipe pipe) {
        removed.incrementAndGet();
    }

    public int added() {
        return added.get();
    }

    public int removed() {
        return removed.get();
    }
}
