package io.sprocket.internal.transport;

import io.sprocket.Message;
import java.util.Arrays;

/**
 * The messages a pipe writes with one flush, oldest first: the one object the core writes to a channel. A pipe
 * keeps two and swaps them, so a flush allocates nothing; the encoder at the end of the channel consumes the
 * batch within {@code write()} and keeps no reference to it (the pipe clears it right after). Not thread-safe:
 * the pipe guards it.
 */
public final class WriteBatch {
    private Message[] items;
    private int start;
    private int size;
    private long bytes;

    public WriteBatch() {
        items = new Message[16];
    }

    /** A batch of {@code messages}, in order (for tests and one-off writes). */
    public static WriteBatch of(Message... messages) {
        WriteBatch b = new WriteBatch();
        for (Message m : messages) {
            b.add(m);
        }
        return b;
    }

    /** Appends {@code m}. */
    public void add(Message m) {
        if (start + size == items.length) {
            if (start > 0) { // room freed at the front by removeFirst: move down
                System.arraycopy(items, start, items, 0, size);
                Arrays.fill(items, size, start + size, null);
                start = 0;
            } else {
                items = Arrays.copyOf(items, items.length * 2);
            }
        }
        items[start + size++] = m;
        bytes += m.size();
    }

    /** The {@code i}-th message, oldest first. */
    public Message get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return items[start + i];
    }

    /** How many messages the batch holds. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Bytes of all its messages (headers and bodies, without framing). */
    public long bytes() {
        return bytes;
    }

    /** Takes the oldest message out; null if the batch is empty. */
    public Message removeFirst() {
        if (size == 0) {
            return null;
        }
        Message m = items[start];
        items[start] = null;
        bytes -= m.size();
        size--;
        start = size == 0 ? 0 : start + 1;
        return m;
    }

    /** Empties the batch, dropping its references to the messages. */
    public void clear() {
        Arrays.fill(items, start, start + size, null);
        start = 0;
        size = 0;
        bytes = 0;
    }

    @Override
    public String toString() {
        return "WriteBatch[" + size + " messages, " + bytes + " bytes]";
    }
}
