package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The socket lock's release: wake, serve to a fixpoint, never spin, complete after unlocking. */
class SocketLockTest {

    @Test
    void aWakeRaisedWhileServingIsServedBeforeUnlockReturns() {
        SocketLock lock = new SocketLock();
        List<Integer> rounds = new ArrayList<>();
        lock.servicedBy(changes -> {
            rounds.add(changes);
            if (rounds.size() < 10) { // each round completes an operation that makes another ready
                lock.raise(rounds.size() % 2 == 0 ? SocketLock.CONTEXTS : SocketLock.QUEUE);
            }
            return true;
        });
        lock.lock();
        lock.raise(SocketLock.SENDERS);
        lock.unlock();
        assertThat(rounds).hasSize(10);
        assertThat(rounds.get(0)).isEqualTo(SocketLock.SENDERS);
        assertThat(rounds.get(1)).isEqualTo(SocketLock.QUEUE);
        assertThat(rounds.get(2)).isEqualTo(SocketLock.CONTEXTS);
        assertThat(lock.hasChanges()).isFalse();
    }

    @Test
    void aRoundThatCompletesNothingEndsIt() {
        SocketLock lock = new SocketLock();
        int[] rounds = {0};
        lock.servicedBy(changes -> {
            rounds[0]++;
            lock.raise(SocketLock.RECEIVERS); // a protocol that signals without progress
            return false;
        });
        lock.lock();
        lock.raise(SocketLock.RECEIVERS);
        lock.unlock();
        assertThat(rounds[0]).isEqualTo(1);
        assertThat(lock.hasChanges()).isTrue(); // served at the next unlock, not in a loop now
        lock.lock();
        lock.unlock();
        assertThat(rounds[0]).isEqualTo(2);
    }

    @Test
    void nothingRaisedServesNothing() {
        SocketLock lock = new SocketLock();
        int[] rounds = {0};
        lock.servicedBy(changes -> {
            rounds[0]++;
            return true;
        });
        lock.lock();
        lock.unlock();
        assertThat(rounds[0]).isZero();
    }

    @Test
    void deferredCompletionsRunAfterTheLockIsReleased() {
        SocketLock lock = new SocketLock();
        lock.servicedBy(changes -> false);
        List<Boolean> heldThen = new ArrayList<>();
        lock.lock();
        lock.defer(() -> heldThen.add(lockedByMe(lock)));
        lock.unlock();
        assertThat(heldThen).containsExactly(false); // ran on this (application) thread, after unlocking
    }

    @Test
    void afterReleaseWorkRunsOnceTheOutermostHoldIsReleasedBeforeTheCompletions() {
        SocketLock lock = new SocketLock();
        lock.servicedBy(changes -> false);
        List<String> ran = new ArrayList<>();
        assertThat(lock.runAfterRelease(() -> ran.add("not held"))).isFalse();
        lock.lock();
        lock.lock(); // nested
        assertThat(lock.runAfterRelease(() -> ran.add("flush held=" + lockedByMe(lock)))).isTrue();
        lock.unlock();
        assertThat(ran).isEmpty(); // the outer hold is still there
        lock.defer(() -> ran.add("completion"));
        lock.unlock();
        assertThat(ran).containsExactly("flush held=false", "completion");
    }

    @Test
    void afterReleaseWorkThatThrowsSkipsNeitherTheRestNorTheCompletions() {
        SocketLock lock = new SocketLock();
        lock.servicedBy(changes -> false);
        List<String> ran = new ArrayList<>();
        lock.lock();
        lock.runAfterRelease(() -> {
            throw new IllegalStateException("boom");
        });
        lock.runAfterRelease(() -> ran.add("second"));
        lock.defer(() -> ran.add("completion"));
        assertThatThrownBy(lock::unlock).hasMessage("boom");
        assertThat(ran).containsExactly("second", "completion");
        assertThat(lockedByMe(lock)).isFalse();
    }

    @Test
    void aRaisedWakeSignalsBlockedThreads() throws Exception {
        SocketLock lock = new SocketLock();
        lock.servicedBy(changes -> false);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                waiting.countDown();
                lock.sendable().await();
                woken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        t.start();
        assertThat(waiting.await(20, TimeUnit.SECONDS)).isTrue();
        Await.until("the waiter to park", () -> t.getState() == Thread.State.WAITING);
        lock.lock();
        lock.raise(SocketLock.SENDERS);
        lock.unlock();
        assertThat(woken.await(20, TimeUnit.SECONDS)).isTrue();
        t.join(20_000);
    }

    private static boolean lockedByMe(SocketLock lock) {
        // the lock is reentrant: a tryLock that needs no wait while we hold it would not tell; ask another thread
        boolean[] free = {false};
        Thread probe = new Thread(() -> {
            lock.lock();
            free[0] = true;
            lock.unlock();
        });
        probe.start();
        try {
            probe.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !free[0];
    }
}
