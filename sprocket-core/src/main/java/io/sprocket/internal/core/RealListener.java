package io.sprocket.internal.core;

import io.sprocket.Listener;
import io.sprocket.Option;
import io.sprocket.internal.transport.Transport;
import io.sprocket.internal.transport.Transport.BoundListener;

/** A listener: binds through its transport and turns every accepted connection into a pipe. */
final class RealListener extends AbstractEndpoint implements Listener {
    private BoundListener bound;

    RealListener(RealSocket socket, String url) {
        super(socket, url, Transport.Kind.LISTENER);
    }

    @Override
    public synchronized Listener start() {
        if (started) {
            throw new IllegalStateException("listener " + url + " already started");
        }
        if (closed) {
            throw socket.closedException();
        }
        bound = transport.bind(url, config(), pipeInit());
        started = true;
        return this;
    }

    @Override
    public synchronized int port() {
        return bound == null ? -1 : bound.port();
    }

    @Override
    public <T> Listener setOption(Option<T> option, T value) {
        super.setOption(option, value);
        return this;
    }

    @Override
    public Listener resetOption(Option<?> option) {
        super.resetOption(option);
        return this;
    }

    @Override
    public void close() {
        BoundListener b;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            b = bound;
        }
        if (b != null) {
            b.close();
        }
        closePipes();
        socket.endpointClosed(this);
    }
}
