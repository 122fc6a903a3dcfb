package io.sprocket.internal.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * A socket's traffic totals over all the pipes it ever had, and the pipes its protocol refused. Pipes add to them
 * once per read burst and once per flush ({@link PipeCounters}), never per message; {@link LongAdder}s, because
 * a socket's pipes run on several event loops. Read by the stats snapshot.
 */
final class SocketCounters {
    /** Messages and bytes in one direction. */
    static final class Totals {
        final LongAdder msgs = new LongAdder();
        final LongAdder bytes = new LongAdder();
    }

    /** What its pipes read and handed to it. */
    final Totals rx = new Totals();
    /** What its pipes wrote. */
    final Totals tx = new Totals();
    /** Pipes the protocol refused (NNG's socket {@code reject}). */
    final LongAdder reject = new LongAdder();
}
