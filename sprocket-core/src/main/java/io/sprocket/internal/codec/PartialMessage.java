package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.internal.transport.ReadPause;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The bytes of a message that has not all arrived yet, held so that the memory it takes is about what the peer
 * has sent: the one accumulator of the SP stream decoder ({@link SpFrameDecoder}) and the WebSocket frame
 * decoder. Nothing is allocated ahead of the data, whatever length the peer announced.
 *
 * <p>The design, and why:
 * <ul>
 * <li>A message whose payload is all in the current read never comes here: the decoder copies it straight into
 *     its final array, one copy per byte as before.
 * <li>Otherwise what arrived is held as pieces until the message completes. A piece that is at least half of the
 *     read buffer it came in is kept as that buffer, retained (no copy; the memory pinned is at most twice the
 *     bytes). A smaller piece is copied into a heap "tail" array; when one is full the next has room for the
 *     piece or for as much as the tails already hold, whichever is more (powers of two from 64 bytes up to
 *     64 KiB): a peer that sends a byte at a time costs under twice its bytes in a few arrays, never an object
 *     per byte, and never a read buffer per byte.
 * <li>When the message completes, its final array is allocated once, at its exact size, and the pieces and
 *     the rest of the current read are copied into it: still one copy per byte for retained pieces (tails were
 *     copied once more). The arrays are what {@link io.sprocket.Message} wraps, so the application gets the
 *     body with that one copy (a later composite of the retained pieces would make it zero).
 * <li>When the decoder knows the message's length ({@link #expect}) and half of it has arrived, its final array
 *     costs at most twice what arrived: it is allocated then, what is held moves into it and the rest is copied
 *     straight in as it comes. So a large message that straddles two reads (the common case when messages
 *     stream back to back) is copied once, as before, unless less than half of it came first in a small piece
 *     of a large read.
 * <li>WebSocket pieces remember their mask key and its phase and are unmasked in the final copy, in the same
 *     pass ({@link Unmask}); bytes that must be checked as they arrive (text: UTF-8, to fail fast) are always
 *     copied, unmasked and checked then.
 * </ul>
 * The bytes held count against the socket's {@link PartialBudget} ({@code recv-partial-max}): over it, the
 * connection keeps what it read but pauses reading ({@link ReadPause#BUDGET}) until there is room. A message
 * under way (from its first header byte) that gets no byte for {@code recv-progress-timeout} is reported to the
 * decoder ({@link Stalled}), which closes the connection; time the application held the reading (receive
 * backpressure) does not count. The timer is armed only while a message is partial, once per connection.
 * Every retained buffer is released when the message completes and on {@link #discard()}, which the decoders
 * call on errors, when the connection goes inactive and when they leave the pipeline.
 */
public final class PartialMessage implements PartialBudget.Waiter {
    /**
     * Copies {@code len} bytes of {@code src} from {@code index} (its indexes do not move) to {@code dst} at
     * {@code at}, unmasked with {@code key} (WebSocket), in one pass; {@code phase} as in RFC 6455.
     */
    @FunctionalInterface
    public interface Unmask {
        void copy(ByteBuf src, int index, byte[] dst, int at, int len, int key, int phase);
    }

    /** Checks bytes as they arrive: false rejects the message (WebSocket text: UTF-8). */
    @FunctionalInterface
    public interface Check {
        boolean accept(byte[] b, int from, int to);
    }

    /** What a decoder does with a message that stopped: close the connection, reporting {@code why}. */
    @FunctionalInterface
    public interface Stalled {
        /** @param budget whether it waited for room in recv-partial-max rather than for the peer */
        void stalled(ChannelHandlerContext ctx, SprocketException why, boolean budget);
    }

    static final int TAIL_MIN = 64;
    static final int TAIL_MAX = 64 * 1024;

    private final PartialBudget budget;
    private final long timeoutNanos;
    private final Unmask unmask;
    private final Stalled stalled;

    // the pieces, in order: a retained ByteBuf (at offs, lens bytes, mask key and phase) or a byte[] tail
    private Object[] bufs;
    private int[] offs;
    private int[] lens;
    private int[] keys;
    private int[] phases;
    private int count;
    private byte[] tail; // the last piece when it is an array with room left, else null
    private long inTails; // bytes held in tails
    private long held;
    private long expected; // the message's length when the decoder knows it, else 0
    private byte[] whole; // the message's final array, once half of its expected length is here

    private ChannelHandlerContext ctx;
    private boolean underway; // a message has started and not completed (set after each read)
    private long lastProgress;
    private ScheduledFuture<?> timer;
    private volatile boolean waitingForBudget; // read by the budget from other event loops
    private volatile boolean discarded;

    /**
     * @param budget the socket's budget of bytes held in partial messages, {@code null} for none
     * @param progressTimeout how long a message under way may go without a byte, zero for no limit
     * @param unmask how to unmask WebSocket pieces, {@code null} for the SP stream
     * @param stalled called on the event loop when a message makes no progress for the timeout
     */
    public PartialMessage(PartialBudget budget, Duration progressTimeout, Unmask unmask, Stalled stalled) {
        this.budget = budget;
        this.timeoutNanos = progressTimeout.isNegative() ? 0 : nanosOrZero(progressTimeout);
        this.unmask = unmask;
        this.stalled = stalled;
    }

    /** The duration in nanoseconds; 0 (no limit) for one too long to count in them, such as INFINITE. */
    private static long nanosOrZero(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return 0;
        }
    }

    /** Bytes held. */
    public long size() {
        return held;
    }

    /**
     * The message under way will be {@code length} bytes long in all (0: not known, e.g. a fragmented WebSocket
     * message); called before its first bytes are added.
     */
    public void expect(long length) {
        expected = length;
    }

    /** Pieces held (for tests). */
    int pieces() {
        return count;
    }

    /** Memory the pieces take or pin: tail arrays and the buffers retained pieces keep alive (for tests). */
    long footprint() {
        long f = 0;
        for (int i = 0; i < count; i++) {
            f += bufs[i] instanceof ByteBuf b ? rootCapacity(b) : ((byte[]) bufs[i]).length;
        }
        return f + (whole == null ? 0 : whole.length);
    }

    /** Holds {@code n} bytes of {@code in} (its reader index moves on), as they are (the SP stream). */
    public void add(ChannelHandlerContext ctx, ByteBuf in, int n) {
        add(ctx, in, n, 0, 0, null);
    }

    /**
     * Holds {@code n} bytes of {@code in} (its reader index moves on), masked with {@code key} (0: not masked)
     * from payload offset {@code phase}. With a {@code check}, they are copied, unmasked and checked now; returns
     * false if the check failed (the caller then gives up the message).
     */
    public boolean add(ChannelHandlerContext ctx, ByteBuf in, int n, int key, int phase, Check check) {
        this.ctx = ctx;
        if (n == 0) {
            return true;
        }
        if (whole == null && check == null && n >= rootCapacity(in) >>> 1) { // pins at most twice its bytes
            piece(in.retain(), in.readerIndex(), n, key, phase);
            in.skipBytes(n);
            held += n;
            countIn(n);
            return true;
        }
        if (whole == null && expected > 0 && held + n >= (expected + 1) >>> 1) { // half here: the array may come
            whole = new byte[(int) expected];
            copyPieces(whole);
        }
        if (whole != null) {
            int at = (int) held;
            read(in, whole, at, n, key, phase);
            held += n;
            countIn(n);
            return check == null || check.accept(whole, at, at + n);
        }
        for (int left = n; left > 0; ) {
            if (tail == null) {
                newTail(left);
            }
            byte[] t = tail;
            int at = lens[count - 1];
            int k = Math.min(t.length - at, left);
            read(in, t, at, k, key, phase);
            lens[count - 1] = at + k;
            if (at + k == t.length) {
                tail = null; // full
            }
            inTails += k;
            held += k;
            countIn(k);
            if (check != null && !check.accept(t, at, at + k)) {
                return false;
            }
            phase += k;
            left -= k;
        }
        return true;
    }

    /** The capacity of the buffer that holding {@code in} pins (a slice pins its parent). */
    private static int rootCapacity(ByteBuf in) {
        ByteBuf root = in;
        for (ByteBuf u = root.unwrap(); u != null; u = u.unwrap()) {
            root = u;
        }
        return root.capacity();
    }

    /**
     * Starts a new tail for {@code want} more bytes: room for them (a power of two, so under twice them), or as
     * much as the tails hold already if that is more (so a peer sending a byte at a time gets few tails), 64 KiB
     * at most. Either way the room left over is less than the bytes held, and tails take under twice their bytes.
     */
    private void newTail(int want) {
        int size = TAIL_MIN;
        while (size < TAIL_MAX && (size < want || (long) size * 2 <= inTails)) {
            size <<= 1;
        }
        tail = new byte[size];
        piece(tail, 0, 0, 0, 0);
    }

    private void piece(Object buf, int off, int len, int key, int phase) {
        if (bufs == null) {
            bufs = new Object[4];
            offs = new int[4];
            lens = new int[4];
            keys = new int[4];
            phases = new int[4];
        } else if (count == bufs.length) {
            int n = count * 2;
            bufs = Arrays.copyOf(bufs, n);
            offs = Arrays.copyOf(offs, n);
            lens = Arrays.copyOf(lens, n);
            keys = Arrays.copyOf(keys, n);
            phases = Arrays.copyOf(phases, n);
        }
        if (buf instanceof ByteBuf) {
            tail = null; // a tail is only appended to while it is the last piece
        }
        bufs[count] = buf;
        offs[count] = off;
        lens[count] = len;
        keys[count] = key;
        phases[count] = phase;
        count++;
    }

    /** Counts held bytes against the budget; over it, pauses reading until there is room. */
    private void countIn(int n) {
        if (budget != null && !budget.take(this, n) && !waitingForBudget) {
            waitingForBudget = true;
            ReadPause.of(ctx.channel()).pause(ReadPause.BUDGET);
            budget.await(this);
        }
    }

    /**
     * Completes the message with the first {@code n} bytes of {@code in} (masked with {@code key} from payload
     * offset {@code phase}; 0: not masked): allocates its array once, copies and unmasks everything held and
     * those bytes into it, and releases the pieces. The last {@code n} bytes of the array are the ones from
     * {@code in}.
     */
    public byte[] finish(ByteBuf in, int n, int key, int phase) {
        long total = held + n;
        byte[] m = whole;
        if (m == null) {
            m = new byte[(int) total];
            copyPieces(m);
        } else if (m.length != total) {
            throw new IllegalStateException("a message of " + total + " bytes, " + m.length + " expected");
        }
        read(in, m, (int) held, n, key, phase);
        clear();
        return m;
    }

    /** Reads {@code n} bytes of {@code in} into {@code dst} at {@code at}, unmasked if {@code key} is not 0. */
    private void read(ByteBuf in, byte[] dst, int at, int n, int key, int phase) {
        if (key == 0) {
            in.readBytes(dst, at, n);
        } else {
            unmask.copy(in, in.readerIndex(), dst, at, n, key, phase);
            in.skipBytes(n);
        }
    }

    /** Copies (unmasking) the pieces into {@code m} from its start and releases them; the bytes stay counted. */
    private void copyPieces(byte[] m) {
        int at = 0;
        for (int i = 0; i < count; i++) {
            int len = lens[i];
            if (bufs[i] instanceof ByteBuf b) {
                if (keys[i] != 0) {
                    unmask.copy(b, offs[i], m, at, len, keys[i], phases[i]);
                } else {
                    b.getBytes(offs[i], m, at, len);
                }
                b.release();
            } else {
                System.arraycopy((byte[]) bufs[i], 0, m, at, len);
            }
            bufs[i] = null;
            at += len;
        }
        count = 0;
        tail = null;
        inTails = 0;
    }

    /** Drops what is held (releasing retained buffers) and leaves the budget. */
    private void clear() {
        for (int i = 0; i < count; i++) {
            if (bufs[i] instanceof ByteBuf b) {
                b.release();
            }
            bufs[i] = null;
        }
        count = 0;
        tail = null;
        inTails = 0;
        whole = null;
        expected = 0;
        long n = held;
        held = 0;
        if (budget != null && n != 0) {
            budget.give(this, n);
        }
        if (waitingForBudget) { // nothing held any more: nothing to wait for (a new message counts in afresh)
            waitingForBudget = false;
            ReadPause.of(ctx.channel()).resume(ReadPause.BUDGET);
        }
    }

    /**
     * Called at the end of each read: {@code midMessage} says whether a message is under way (begun, not
     * complete). While one is, the read counts as progress and the timer watches it.
     */
    public void readDone(ChannelHandlerContext ctx, boolean midMessage) {
        underway = midMessage;
        if (!midMessage || timeoutNanos == 0 || discarded) {
            return;
        }
        this.ctx = ctx;
        lastProgress = System.nanoTime();
        if (timer == null) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long nanos) {
        timer = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (discarded || !underway) {
            return; // armed again by the next read that ends mid-message
        }
        ReadPause pause = ReadPause.of(ctx.channel());
        if (pause.pausedBy(ReadPause.BACKPRESSURE)) {
            schedule(timeoutNanos); // the application holds the reading: not the peer's stall
            return;
        }
        long since = lastProgress;
        long resumed = pause.backpressureEnded();
        if (resumed - since > 0) {
            since = resumed;
        }
        long left = since + timeoutNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        boolean forBudget = waitingForBudget;
        String peer = Addresses.remote(ctx.channel());
        long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        SprocketException why = forBudget
                ? new SprocketException(ErrorCode.TIMED_OUT, "a partial message from " + peer + " waited " + ms
                        + " ms for room in recv-partial-max (" + budget.max() + " bytes held in partial messages"
                        + " across the socket); connection closed")
                : new SprocketException(ErrorCode.TIMED_OUT, "peer " + peer + " sent part of a message, then"
                        + " nothing for " + ms + " ms (recv-progress-timeout); connection closed");
        discard();
        stalled.stalled(ctx, why, forBudget);
    }

    /** Releases everything held, stops the timer and leaves the budget; for errors and closed connections. */
    public void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        underway = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        clear();
    }

    @Override
    public boolean waiting() {
        return waitingForBudget && !discarded;
    }

    @Override
    public void wake() {
        try {
            ctx.executor().execute(this::retry);
        } catch (RejectedExecutionException e) {
            budget.wakeNext(); // pass the turn on
        }
    }

    /** On the event loop, woken while waiting for room: read again if there is room, else wait on. */
    private void retry() {
        if (!waiting()) {
            budget.wakeNext();
            return;
        }
        if (budget.mayRead(this)) {
            waitingForBudget = false;
            ReadPause.of(ctx.channel()).resume(ReadPause.BUDGET);
            budget.wakeNext(); // room may be left for the next one
        } else {
            budget.await(this);
        }
    }
}
