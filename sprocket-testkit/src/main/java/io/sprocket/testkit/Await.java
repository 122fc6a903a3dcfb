package io.sprocket.testkit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a state with a deadline (never a bare sleep): a condition, a value that satisfies a test, or a
 * future's result. Every wait fails with an {@link AssertionError} that says what it waited for and how long.
 */
public final class Await {
    /** The deadline of {@link #until(String, BooleanSupplier)}: generous, for a noisy 2-core machine. */
    public static final Duration DEFAULT = Duration.ofSeconds(20);

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {
    }

    /** Polls {@code condition} every few milliseconds until it holds; fails after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, condition::getAsBoolean, ok -> ok, timeout);
    }

    /** {@link #until} with the {@link #DEFAULT} deadline. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    /**
     * Polls {@code supplier} until its value passes {@code test} and returns that value; fails after
     * {@code timeout} with the last value seen.
     */
    public static <T> T value(String what, Supplier<T> supplier, Predicate<? super T> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = supplier.get();
            if (test.test(v)) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + " (last value: " + v + ")");
            }
            pause(what);
        }
    }

    /**
     * The result of {@code future}, waiting at most {@code timeout}; a future that fails rethrows its cause
     * (an unchecked one as it is, a checked one wrapped in an {@link AssertionError}).
     */
    public static <T> T result(String what, CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new AssertionError(what + " failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Sleeps one polling interval; only the waits of this class and of the test kit use it. */
    static void pause(String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
