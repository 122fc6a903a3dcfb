package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.LeakCheckExtension;
import org.junit.jupiter.api.Test;

/** The leak check runs in this module's tests (auto-detected from the test kit's services file). */
class LeakCheckActiveTest {
    @Test
    void theLeakCheckIsRegistered() {
        assertThat(LeakCheckExtension.active()).as("LeakCheckExtension ran before this class").isTrue();
    }
}
