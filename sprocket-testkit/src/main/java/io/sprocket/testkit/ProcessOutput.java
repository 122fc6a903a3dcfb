package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * One output stream of a {@link PeerProcess}, redirected into a file. A file, not a pipe drained by a thread:
 * when a process exits, the JDK closes its pipes under a reader still blocked in them, and the last lines the
 * process wrote (a shutdown hook's, say) could be lost. A file holds every byte, and is complete once the
 * process has exited.
 */
final class ProcessOutput {
    private static final long POLL_NANOS = 10_000_000L;

    private final Process process;
    private final Path file;

    ProcessOutput(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Whether all of the output is there: the process has exited. */
    boolean isAtEof() {
        return !process.isAlive();
    }

    /** Waits until the output contains {@code want}; false at the deadline or at the exit without it. */
    boolean await(byte[] want, long deadline) {
        return await(b -> indexOf(b, want) >= 0, deadline);
    }

    /** Waits until the output satisfies {@code condition}; false at the deadline or at the exit without it. */
    boolean await(Predicate<byte[]> condition, long deadline) {
        while (true) {
            boolean exited = isAtEof(); // read before the bytes: an exit seen here means they are all there
            if (condition.test(bytes())) {
                return true;
            }
            if (exited || deadline - System.nanoTime() <= 0) {
                return false;
            }
            Await.pause("peer output");
        }
    }

    /** Removes the file. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file: the system cleans up
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
