package io.sprocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One SP message: an optional protocol header and a body. Messages are immutable values; the {@code with...}
 * methods return new messages. Cooked sockets manage the header themselves (request ids, backtraces, hop
 * counts), so applications normally only touch the body; raw sockets expose the header.
 *
 * <p>Byte arrays passed in are not copied: do not change them after handing them to a message. The array
 * returned by {@link #body()} is likewise shared and must not be modified.
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];

    private final byte[] header;
    private final byte[] data;
    private final int offset;
    private final int length;
    private final Pipe pipe;
    private byte[] bodyCache;

    private Message(byte[] header, byte[] data, int offset, int length, Pipe pipe) {
        this.header = header;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.pipe = pipe;
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
        if (offset == 0 && length == data.length) {
            return data;
        }
        byte[] b = bodyCache;
        if (b == null) {
            b = Arrays.copyOfRange(data, offset, offset + length);
            bodyCache = b;
        }
        return b;
    }

    /** {@return the body as a read-only buffer, without copying} */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /** {@return the body decoded as UTF-8} */
    public String bodyString() {
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
        return data[offset + index];
    }

    /**
     * {@return the big-endian 32-bit word of the body at byte {@code index}}
     *
     * @param index the word's first byte in the body, from 0
     */
    public int bodyInt(int index) {
        Objects.checkFromIndexSize(index, 4, length);
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
        return new Message(newHeader, data, offset, length, pipe);
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
        return new Message(header, data, offset, length, from);
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
        System.arraycopy(data, offset, h, header.length, count);
        return new Message(h, data, offset + count, length - count, pipe);
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
        return new Message(EMPTY, data, offset + count, length - count, pipe);
    }

    /** {@return the backing array of the body} With {@link #bodyOffset()} gives zero-copy access. Do not modify. */
    public byte[] bodyArray() {
        return data;
    }

    /** {@return the offset of the body in {@link #bodyArray()}} */
    public int bodyOffset() {
        return offset;
    }

    @Override
    public String toString() {
        return "Message[header=" + header.length + " bytes, body=" + length + " bytes]";
    }
}
