package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The listener URLs nngcat -v reports (checked against nngcat 1.5.2). */
class UrlsTest {
    @ParameterizedTest
    @CsvSource({
            "tcp://127.0.0.1:0, 4242, tcp://127.0.0.1:4242",
            "tcp://*:0, 4242, tcp://:4242",
            "tcp://*:5555, 5555, tcp://:5555",
            "tcp://:0, 4242, tcp://:4242",
            "tcp://localhost:0, 4242, tcp://localhost:4242",
            "tcp4://127.0.0.1:0, 4242, tcp4://127.0.0.1:4242",
            "tcp://[::1]:0, 4242, tcp://[::1]:4242",
            "tcp://127.0.0.1:5555, 5555, tcp://127.0.0.1:5555",
            "ipc:///tmp/x.sock, -1, ipc:///tmp/x.sock",
            "inproc://foo, -1, inproc://foo"})
    void boundUrl(String url, int port, String expected) {
        assertThat(Urls.bound(url, port)).isEqualTo(expected);
    }
}
