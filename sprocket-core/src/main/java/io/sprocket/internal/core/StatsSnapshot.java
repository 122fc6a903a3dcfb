package io.sprocket.internal.core;

import io.sprocket.Stat;
import io.sprocket.Stat.Unit;
import io.sprocket.Stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link io.sprocket.Socket#stats()}: the socket's scope with its dialers and listeners, each with its
 * pipes, after NNG's {@code nng_stats} names (socket.c, dialer.c, listener.c, pipe.c of NNG 1.5.2) plus
 * Sprocket's own (queue depths, failures by reason, reconnect attempts). Each value is read once; the socket lock
 * is taken once, for what it guards (the receive queue, the protocol's counters, the pipes' held messages).
 */
final class StatsSnapshot {
    private StatsSnapshot() {
    }

    static Stats of(RealSocket s) {
        SocketCore core = s.core();
        List<Stat> st = new ArrayList<>();
        List<AbstractEndpoint> eps = new ArrayList<>(s.endpoints());
        eps.sort(Comparator.comparingInt(e -> e.id));
        int dialers = 0;
        int pipes = 0;
        for (AbstractEndpoint e : eps) {
            dialers += e.isDialer() ? 1 : 0;
            pipes += e.pipes.size();
        }
        SocketCounters c = core.counters();
        st.add(Stat.id("id", "the socket's id", s.id()));
        st.add(Stat.string("name", "the socket's name (its id)", Integer.toString(s.id())));
        st.add(Stat.string("protocol", "the socket's protocol", s.protocol().wireName()));
        st.add(Stat.bool("raw", "whether the socket is raw", s.isRaw()));
        st.add(Stat.level("dialers", Unit.NONE, "dialers open", dialers));
        st.add(Stat.level("listeners", Unit.NONE, "listeners open", eps.size() - dialers));
        st.add(Stat.level("pipes", Unit.NONE, "pipes connected", pipes));
        st.add(Stat.counter("reject", Unit.EVENTS, "pipes the protocol refused (e.g. a second PAIR peer)",
                c.reject.sum()));
        st.add(Stat.counter("tx_msgs", Unit.MESSAGES, "messages written to pipes, all pipes ever", c.tx.msgs.sum()));
        st.add(Stat.counter("rx_msgs", Unit.MESSAGES, "messages read from pipes, all pipes ever", c.rx.msgs.sum()));
        st.add(Stat.counter("tx_bytes", Unit.BYTES, "bytes written (SP header + body, no framing), all pipes ever",
                c.tx.bytes.sum()));
        st.add(Stat.counter("rx_bytes", Unit.BYTES, "bytes read (SP header + body, no framing), all pipes ever",
                c.rx.bytes.sum()));
        Map<PipeImpl, Integer> held = new HashMap<>();
        core.lockedStats(st, held);
        List<Stats> children = new ArrayList<>();
        for (AbstractEndpoint e : eps) {
            children.add(endpoint(s, e, held));
        }
        return new Stats(Stats.SOCKET, s.id(), st, children);
    }

    private static Stats endpoint(RealSocket s, AbstractEndpoint e, Map<PipeImpl, Integer> held) {
        List<PipeImpl> ps = new ArrayList<>(e.pipes);
        ps.sort(Comparator.comparingInt(PipeImpl::id));
        String kind = e.isDialer() ? "dialer" : "listener";
        List<Stat> st = new ArrayList<>();
        st.add(Stat.id("id", "the " + kind + "'s id", e.id));
        st.add(Stat.id("socket", "the socket's id", s.id()));
        st.add(Stat.string("url", "the " + kind + "'s URL", e.url()));
        st.add(Stat.level("pipes", Unit.NONE, "pipes connected", ps.size()));
        e.stats.addTo(st);
        List<Stats> children = new ArrayList<>();
        for (PipeImpl p : ps) {
            children.add(pipe(s, e, p, held.getOrDefault(p, 0)));
        }
        return new Stats(e.isDialer() ? Stats.DIALER : Stats.LISTENER, e.id, st, children);
    }

    private static Stats pipe(RealSocket s, AbstractEndpoint e, PipeImpl p, int held) {
        PipeCounters c = p.counters();
        SendQueue q = p.sendQueue();
        List<Stat> st = new ArrayList<>();
        st.add(Stat.id("id", "the pipe's id", p.id()));
        st.add(Stat.id("socket", "the socket's id", s.id()));
        st.add(Stat.id(e.isDialer() ? "dialer" : "listener", "the id of the endpoint that made it", e.id));
        st.add(Stat.string("transport", "the transport scheme", p.transport()));
        st.add(Stat.string("remote", "the peer's address", p.remoteAddress()));
        st.add(Stat.counter("rx_msgs", Unit.MESSAGES, "messages read", c.rx.msgs()));
        st.add(Stat.counter("tx_msgs", Unit.MESSAGES, "messages written", c.tx.msgs()));
        st.add(Stat.counter("rx_bytes", Unit.BYTES, "bytes read (SP header + body, no framing)", c.rx.bytes()));
        st.add(Stat.counter("tx_bytes", Unit.BYTES, "bytes written (SP header + body, no framing)", c.tx.bytes()));
        st.add(Stat.level("tx_queue", Unit.MESSAGES, "messages in the send queue (send-buffer is the limit)",
                q.queued()));
        st.add(Stat.level("tx_queue_bytes", Unit.BYTES, "bytes of the messages in the send queue", q.queuedBytes()));
        st.add(Stat.level("rx_held", Unit.MESSAGES, "messages read and held back while the receive queue is full",
                held));
        return new Stats(Stats.PIPE, p.id(), st, List.of());
    }
}
