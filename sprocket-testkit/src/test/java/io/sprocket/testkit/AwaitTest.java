package io.sprocket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The waits return as soon as the state holds and fail, saying what they waited for, at the deadline. */
class AwaitTest {
    @Test
    void untilReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("three polls", Duration.ofSeconds(10), () -> polls.incrementAndGet() >= 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void untilFailsAtTheDeadlineNamingTheState() {
        assertThatThrownBy(() -> Await.until("the moon", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("50 ms").hasMessageContaining("the moon");
    }

    @Test
    void valueReturnsTheFirstValueThatPassesAndReportsTheLastOneOtherwise() {
        AtomicInteger n = new AtomicInteger();
        assertThat(Await.value("n >= 4", n::incrementAndGet, v -> v >= 4, Duration.ofSeconds(10))).isEqualTo(4);
        assertThatThrownBy(() -> Await.value("negative", () -> 7, v -> v < 0, Duration.ofMillis(30)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("last value: 7");
    }

    @Test
    void resultRethrowsTheCauseAndTimesOut() {
        assertThat(Await.result("done", CompletableFuture.completedFuture("x"), Duration.ofSeconds(1))).isEqualTo("x");
        assertThatThrownBy(() -> Await.result("failed", CompletableFuture.failedFuture(new IllegalStateException("no")),
                Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class).hasMessage("no");
        assertThatThrownBy(() -> Await.result("never", new CompletableFuture<>(), Duration.ofMillis(30)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("never");
    }
}
