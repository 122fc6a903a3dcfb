package io.sprocket.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    @Test
    void keepsOrderAndBytesThroughGrowthAndRemovals() {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < 40; i++) { // past the first capacity
            b.add(Message.of("m" + i));
        }
        assertThat(b.size()).isEqualTo(40);
        assertThat(b.bytes()).isEqualTo(10 * 2 + 30 * 3);
        assertThat(b.removeFirst().bodyString()).isEqualTo("m0");
        assertThat(b.removeFirst().bodyString()).isEqualTo("m1");
        assertThat(b.get(0).bodyString()).isEqualTo("m2");
        assertThat(b.bytes()).isEqualTo(8 * 2 + 30 * 3);
        for (int i = 40; i < 100; i++) { // reuses the room freed at the front, then grows
            b.add(Message.of("m" + i));
        }
        for (int i = 0; i < b.size(); i++) {
            assertThat(b.get(i).bodyString()).isEqualTo("m" + (i + 2));
        }
        assertThatThrownBy(() -> b.get(98)).isInstanceOf(IndexOutOfBoundsException.class);
        b.clear();
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.bytes()).isZero();
        assertThat(b.removeFirst()).isNull();
        b.add(Message.of("again"));
        assertThat(b.get(0).bodyString()).isEqualTo("again");
    }

    @Test
    void removingTheOnlyMessageStartsOverAtTheFront() {
        WriteBatch b = WriteBatch.of(Message.of("a"));
        assertThat(b.removeFirst().bodyString()).isEqualTo("a");
        for (int i = 0; i < 16; i++) {
            b.add(Message.of("x"));
        }
        assertThat(b.size()).isEqualTo(16);
        assertThat(b.bytes()).isEqualTo(16);
    }
}
