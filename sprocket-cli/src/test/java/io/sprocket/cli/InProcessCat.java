package io.sprocket.cli;

import io.sprocket.testkit.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@link NngCat} on a thread of the test JVM, with captured output. */
final class InProcessCat {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> status;

    private InProcessCat(String... args) {
        status = CompletableFuture.supplyAsync(
                () -> NngCat.run(args, new ByteArrayInputStream(new byte[0]), out, err), runnable -> {
                    Thread t = new Thread(runnable, "nngcat-in-process");
                    t.setDaemon(true);
                    t.start();
                });
    }

    /** Starts the command in the background. */
    static InProcessCat start(String... args) {
        return new InProcessCat(args);
    }

    /** Runs the command to completion (at most 20 s). */
    static CatResult run(String... args) {
        return start(args).await();
    }

    /** Standard error so far, as text. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Standard output so far. */
    byte[] out() {
        return out.toByteArray();
    }

    /** Waits (at most 20 s) until standard output contains {@code text}, e.g. {@code --verbose}'s "Listening at". */
    InProcessCat awaitOut(String text) {
        Await.until("'" + text + "' on stdout", Duration.ofSeconds(20), () -> {
            if (new String(out(), StandardCharsets.ISO_8859_1).contains(text)) {
                return true;
            }
            if (status.isDone()) {
                throw new AssertionError("no '" + text + "' on stdout: " + await());
            }
            return false;
        });
        return this;
    }

    /** Waits (at most 20 s) for the command to end. */
    CatResult await() {
        try {
            int s = status.get(20, TimeUnit.SECONDS);
            return new CatResult(s, out.toByteArray(), err.toByteArray());
        } catch (Exception e) {
            throw new AssertionError("command did not finish: " + e + "; stdout so far: "
                    + new String(out.toByteArray()) + "; stderr: " + new String(err.toByteArray()), e);
        }
    }
}
