package io.sprocket.cli;

import io.sprocket.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;

/** Standard output of the command: each printed message is written in one piece and flushed, as nngcat does. */
final class CatOutput {
    private final OutputStream out;
    private final Charset charset;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    CatOutput(OutputStream out, Charset charset) {
        this.out = out;
        this.charset = charset;
    }

    /** Prints a received message's body in {@code format}; no format prints nothing. */
    void message(Format format, Message m) {
        if (format == null || format == Format.NO) {
            return;
        }
        buffer.reset();
        format.append(buffer, m.bodyArray(), m.bodyOffset(), m.bodyLength());
        write(buffer.toByteArray());
    }

    /** Prints a line of text such as "Connected to: ...". */
    void text(String s) {
        write(s.getBytes(charset));
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw CliExit.fatal("Cannot write to standard output: " + e.getMessage());
        }
    }
}
