package io.sprocket.internal.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * A socket's traffic totals over all the pipes it ever had, and the pipes its protocol refused. Pipes add to them
 * once per read burst and once per flush ({@link PipeCounters}), never per message; {@link LongAdder}s, because
 * a socket's pipes run on several event loops. Read by the stats snapshot.
 */
final class SocketCounters {
    final LongAdder rxMsgs = new LongAdder();
    final LongAdder rxBytes = new LongAdder();
    final LongAdder txMsgs = new LongAdder();
    final LongAdder txBytes = new LongAdder();
    /** Pipes the protocol refused (NNG's socket {@code reject}). */
    final LongAdder reject = new LongAdder();
}
