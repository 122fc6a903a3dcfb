package io.sprocket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The leak check can fail: a buffer dropped without release is reported. */
class LeakCheckSelfTest {

    @Test
    void aDroppedBufferIsReported() {
        leak();
        Await.until("leak report", Duration.ofSeconds(30), () -> {
            System.gc();
            for (int i = 0; i < 64; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(16).release(); // tracked allocations poll the queue
            }
            return !LeakCheckExtension.leaks().isEmpty();
        });
        assertThat(LeakCheckExtension.leaks().get(0)).contains("LEAK");
        LeakCheckExtension.leaks().clear(); // this leak was on purpose: keep the class green
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        b.writeInt(42);
    }
}
