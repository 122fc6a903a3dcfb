package io.sprocket.protocol.pubsub;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SUB v0 (0x21): keeps messages whose body starts with one of its subscribed prefixes (the empty prefix matches
 * all; no subscriptions, nothing). Subscriptions never go on the wire. A full receive queue drops the oldest
 * message ({@link SocketOption#SUB_PREFER_NEW}, the default) or the new one, and never slows the publisher.
 * Each context has its own subscriptions and queue. Raw SUB delivers everything. Cannot send.
 */
public final class Sub0 extends SocketProtocol {
    private final boolean raw;
    private final Ctx dflt = new Ctx();
    private final Set<Ctx> contexts = new LinkedHashSet<>();

    /** SUB; raw when {@code raw}: every message is delivered, unfiltered (NNG's xsub). */
    public Sub0(boolean raw) {
        this.raw = raw;
    }

    @Override
    public Protocol protocol() {
        return Protocol.SUB0;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        if (!contexts.isEmpty()) {
            m = Messages.owned(m); // may go to several queues: a leased body is copied once (one owner each)
        }
        boolean kept = false;
        if (raw || dflt.matches(m)) {
            dflt.offer(m);
            kept = true;
        }
        if (!contexts.isEmpty()) { // no iterator per message without contexts (C1 allocates it)
            for (Ctx c : contexts) {
                if (c.matches(m)) {
                    c.offer(m);
                    kept = true;
                }
            }
        }
        if (!kept) {
            Messages.discard(m); // no subscription matches
        }
        return true;
    }

    @Override
    public void close() {
        for (Ctx c : new ArrayList<>(contexts)) {
            c.close();
        }
        dflt.close();
    }

    @Override
    public ProtocolContext defaultContext() {
        return dflt;
    }

    @Override
    public ProtocolContext newContext() {
        Ctx c = new Ctx();
        contexts.add(c);
        return c;
    }

    /** Subscriptions and a bounded queue. */
    private final class Ctx implements ProtocolContext {
        private final List<byte[]> topics = new ArrayList<>();
        private final ArrayDeque<Message> queue = new ArrayDeque<>();

        boolean matches(Message m) {
            ByteBuffer direct = Messages.directBody(m);
            byte[] a = direct == null ? m.bodyArray() : null;
            int off = direct == null ? m.bodyOffset() : 0;
            int len = m.bodyLength();
            for (int i = 0, n = topics.size(); i < n; i++) {
                byte[] t = topics.get(i);
                if (t.length <= len && (direct == null ? Arrays.equals(a, off, off + t.length, t, 0, t.length)
                        : direct.slice(0, t.length).equals(ByteBuffer.wrap(t)))) {
                    return true;
                }
            }
            return false;
        }

        void offer(Message m) {
            if (queue.size() >= Math.max(1, socket.option(SocketOption.RECV_BUFFER))) {
                if (!socket.option(SocketOption.SUB_PREFER_NEW)) {
                    Messages.discard(m);
                    return;
                }
                Messages.discard(queue.poll());
            }
            queue.add(m);
            socket.receiveStateChanged(this);
        }

        @Override
        public void subscribe(byte[] prefix, boolean add) {
            topics.removeIf(t -> Arrays.equals(t, prefix));
            if (add) {
                topics.add(prefix);
            } else if (!(raw && this == dflt)) {
                queue.removeIf(m -> { // as NNG: queued messages no longer wanted are dropped
                    boolean drop = !matches(m);
                    if (drop) {
                        Messages.discard(m);
                    }
                    return drop;
                });
            }
        }

        @Override
        public boolean trySend(Message message) {
            throw cannotSend();
        }

        @Override
        public Message tryReceive() {
            return queue.poll();
        }

        @Override
        public void close() {
            contexts.remove(this);
            Messages.discardAll(queue);
            queue.clear();
        }
    }
}
