package io.sprocket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One SP message: an optional protocol header and a body. Messages are immutable values; the {@code with...}
 * methods return new messages. Cooked sockets manage the header themselves (request ids, backtraces, hop
 * counts), so applications normally only touch the body; raw sockets expose the header.
 *
 * <p>Byte arrays and buffers passed in are not copied: do not change them after handing them to a message. The
 * array returned by {@link #body()} is likewise shared and must not be modified.
 *
 * <h2>Copies, and why received messages are GC-owned by default</h2>
 * A message {@link Messaging#receive() received} is always GC-owned: its body was copied once, from the
 * transport's pooled read buffer into a Java array, and nothing needs releasing, so forgetting about a message can
 * never leak memory or stall a socket (the leak detector proves this path leak-free in the test suite). That one
 * copy costs a few microseconds per 64 KiB. Where it matters, receiving is zero-copy on request: set
 * {@link SocketOption#RECV_ZERO_COPY} and take messages with {@link Messaging#receiveLease()} in a
 * try-with-resources block; the lease's body is the transport's own memory (tcp, ipc, tls+tcp), valid until the
 * lease is closed. It is not the default because a leased body cannot be revoked: read after {@code close()} it
 * shows whatever the pool put there since, without an error.
 *
 * <p>Sending: {@link #of(ByteBuffer)} with a direct buffer is written to the wire (tcp, ipc, tls+tcp) without a
 * copy; an array body is copied once into the transport's direct memory, small bodies together with their frame
 * header. WebSocket and inproc copy the body as they need it.
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];

    private final byte[] header;
    private final byte[] data;
    private final int offset;
    private final int length;
    private final Pipe pipe;
    /** The body when it is a buffer without an accessible array (position 0, limit length), else null. */
    private final ByteBuffer buffer;
    /** Gives a leased body's memory back (idempotent), or null: set only by the core ({@code io.sprocket.spi.Messages}). */
    private final Runnable release;
    private byte[] bodyCache;

    /**
     * A message whose body is leased transport memory, given back by {@code release}: made only by the core,
     * through {@code io.sprocket.spi.Messages}, which reaches this method and the {@code release} and
     * {@code buffer} fields with a private lookup (so that this API package does not depend on the core's).
     */
    @SuppressWarnings("unused")
    private static Message leased(ByteBuffer body, Runnable release) {
        ByteBuffer b = body.slice().order(ByteOrder.BIG_ENDIAN);
        return new Message(EMPTY, null, 0, b.remaining(), null, b, release);
    }

    private Message(byte[] header, byte[] data, int offset, int length, Pipe pipe) {
        this(header, data, offset, length, pipe, null, null);
    }

    private Message(byte[] header, byte[] data, int offset, int length, Pipe pipe, ByteBuffer buffer,
            Runnable release) {
        this.header = header;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.pipe = pipe;
        this.buffer = buffer;
        this.release = release;
    }

    /** A message like this one with another header, body slice and pipe (the buffer and its release carried on). */
    private Message derive(byte[] newHeader, int skip, Pipe newPipe) {
        ByteBuffer b = buffer == null ? null : buffer.slice(skip, length - skip).order(ByteOrder.BIG_ENDIAN);
        return new Message(newHeader, data, offset + skip, length - skip, newPipe, b, release);
    }

    /**
     * A message with this body and no header.
     *
     * @param body the body, not copied
     * @return the new message
     */
    public static Message of(byte[] body) {
        Objects.requireNonNull(body, "body == null");
        return new Message(EMPTY, body, 0, body.length, null);
    }

    /**
     * A message whose body is the UTF-8 bytes of {@code text}.
     *
     * @param text the body's text
     * @return the new message
     */
    public static Message of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A message whose body is the remaining bytes of {@code body} (its position and limit are not changed). Not
     * copied: do not change those bytes while the message may still be sent. A direct buffer is written to the
     * wire without a copy on tcp, ipc and tls+tcp (WebSocket copies it when it frames it); a heap buffer is used
     * like an array.
     *
     * @param body the body, not copied
     * @return the new message
     */
    public static Message of(ByteBuffer body) {
        Objects.requireNonNull(body, "body == null");
        if (body.hasArray()) {
            return new Message(EMPTY, body.array(), body.arrayOffset() + body.position(), body.remaining(), null);
        }
        ByteBuffer b = body.slice().order(ByteOrder.BIG_ENDIAN);
        return new Message(EMPTY, null, 0, b.remaining(), null, b, null);
    }

    /** {@return a message with an empty body and no header} */
    public static Message empty() {
        return new Message(EMPTY, EMPTY, 0, 0, null);
    }

    /**
     * A message whose body is {@code length} bytes of {@code array} starting at {@code offset} (not copied).
     *
     * @param array the array holding the body
     * @param offset where the body starts in {@code array}
     * @param length the body's length in bytes
     * @return the new message
     */
    public static Message wrap(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        return new Message(EMPTY, array, offset, length, null);
    }

    /** {@return the header bytes} Empty for most cooked sockets. Do not modify. */
    public byte[] header() {
        return header;
    }

    /** {@return the body as an array} Do not modify it. May copy once if the body is a slice of a larger array. */
    public byte[] body() {
        if (data != null && offset == 0 && length == data.length) {
            return data;
        }
        byte[] b = bodyCache;
        if (b == null) {
            if (buffer != null) {
                b = new byte[length];
                buffer.get(0, b);
            } else {
                b = Arrays.copyOfRange(data, offset, offset + length);
            }
            bodyCache = b;
        }
        return b;
    }

    /** {@return the body as a read-only buffer, without copying} Direct if the body was given as a direct buffer. */
    public ByteBuffer bodyBuffer() {
        if (buffer != null) {
            return buffer.asReadOnlyBuffer();
        }
        return ByteBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /** {@return the body decoded as UTF-8} */
    public String bodyString() {
        if (buffer != null) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    /** {@return the body's length in bytes} */
    public int bodyLength() {
        return length;
    }

    /** {@return the header's length in bytes} */
    public int headerLength() {
        return header.length;
    }

    /** {@return header plus body length: the size of the message on the wire, without framing} */
    public long size() {
        return (long) header.length + length;
    }

    /**
     * {@return the body byte at {@code index}}
     *
     * @param index the byte's position in the body, from 0
     */
    public byte bodyByte(int index) {
        Objects.checkIndex(index, length);
        return buffer != null ? buffer.get(index) : data[offset + index];
    }

    /**
     * {@return the big-endian 32-bit word of the body at byte {@code index}}
     *
     * @param index the word's first byte in the body, from 0
     */
    public int bodyInt(int index) {
        Objects.checkFromIndexSize(index, 4, length);
        if (buffer != null) {
            return buffer.getInt(index);
        }
        int i = offset + index;
        return (data[i] & 0xff) << 24 | (data[i + 1] & 0xff) << 16 | (data[i + 2] & 0xff) << 8 | (data[i + 3] & 0xff);
    }

    /** {@return the pipe a received message came from, or {@code null} for messages made by the application} */
    public Pipe pipe() {
        return pipe;
    }

    /**
     * {@return this message with another header}
     *
     * @param newHeader the header, not copied
     */
    public Message withHeader(byte[] newHeader) {
        Objects.requireNonNull(newHeader, "header == null");
        return derive(newHeader, 0, pipe);
    }

    /**
     * {@return this message with another body}
     *
     * @param newBody the body, not copied
     */
    public Message withBody(byte[] newBody) {
        Objects.requireNonNull(newBody, "body == null");
        return new Message(header, newBody, 0, newBody.length, pipe);
    }

    /**
     * {@return this message marked as received from {@code from}}
     *
     * @param from the pipe, or {@code null} for none
     */
    public Message withPipe(Pipe from) {
        return derive(header, 0, from);
    }

    /**
     * This message with the first {@code count} body bytes moved to the end of the header. Used by protocols to
     * split their header off a received payload without copying the body.
     *
     * @param count how many body bytes move
     * @return the new message
     */
    public Message moveToHeader(int count) {
        Objects.checkFromIndexSize(0, count, length);
        byte[] h = Arrays.copyOf(header, header.length + count);
        if (buffer != null) {
            buffer.get(0, h, header.length, count);
        } else {
            System.arraycopy(data, offset, h, header.length, count);
        }
        return derive(h, count, pipe);
    }

    /**
     * This message without the first {@code count} body bytes (and without its header). Used by cooked protocols
     * to drop their header from a received payload without copying the body.
     *
     * @param count how many body bytes to drop
     * @return the new message
     */
    public Message skipBody(int count) {
        Objects.checkFromIndexSize(0, count, length);
        return derive(EMPTY, count, pipe);
    }

    /**
     * {@return the backing array of the body} With {@link #bodyOffset()} gives zero-copy access. Do not modify. A
     * body given as a direct buffer is copied once into an array for this (offset 0).
     */
    public byte[] bodyArray() {
        return buffer != null ? body() : data;
    }

    /** {@return the offset of the body in {@link #bodyArray()}} */
    public int bodyOffset() {
        return buffer != null ? 0 : offset;
    }

    @Override
    public String toString() {
        return "Message[header=" + header.length + " bytes, body=" + length + " bytes]";
    }
}
