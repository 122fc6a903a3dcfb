package io.sprocket.protocol.pubsub;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * SUB v0 (0x21): keeps messages whose body starts with one of its subscribed prefixes (the empty prefix matches
 * all; no subscriptions, nothing). Subscriptions never go on the wire. A full receive queue drops the oldest
 * message ({@link SocketOption#SUB_PREFER_NEW}, the default) or the new one, and never slows the publisher.
 * Cannot send.
 */
public final class Sub0 extends SocketProtocol {
    private final List<byte[]> topics = new ArrayList<>();

    @Override
    public Protocol protocol() {
        return Protocol.SUB0;
    }

    @Override
    public Set<SocketOption<?>> options() {
        return Set.of(SocketOption.SUB_PREFER_NEW);
    }

    @Override
    public void subscribe(byte[] prefix, boolean add) {
        topics.removeIf(t -> Arrays.equals(t, prefix));
        if (add) {
            topics.add(prefix);
        }
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        if (!matches(m)) {
            return true;
        }
        if (!socket.offerReceived(m)) {
            if (socket.option(SocketOption.SUB_PREFER_NEW)) {
                socket.pollReceived();
                socket.offerReceived(m);
            }
        }
        return true;
    }

    private boolean matches(Message m) {
        byte[] a = m.bodyArray();
        int off = m.bodyOffset();
        int len = m.bodyLength();
        for (int i = 0, n = topics.size(); i < n; i++) {
            byte[] t = topics.get(i);
            if (t.length <= len && Arrays.equals(a, off, off + t.length, t, 0, t.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean trySend(Message message) {
        throw cannotSend();
    }
}
