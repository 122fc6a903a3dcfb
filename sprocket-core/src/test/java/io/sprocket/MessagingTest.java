package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testing.Sockets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Messaging}: one piece of code serves through a socket and through a context alike. */
class MessagingTest {
    private static final Duration T = Duration.ofSeconds(20);

    /** Answers one request on {@code m}, whatever it is. */
    private static void answerOne(Messaging m) {
        String request = m.receive(T).bodyString();
        m.send(("re: " + request).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSocketAndAContextAreBothMessaging() throws Exception {
        try (Socket rep = Sockets.open(Protocol.REP0, T); Socket req = Sockets.open(Protocol.REQ0, T)) {
            rep.listen("inproc://messaging-test");
            req.dial("inproc://messaging-test");
            req.send(Message.of("one"));
            answerOne(rep);
            assertThat(req.receive().bodyString()).isEqualTo("re: one");
            try (Context ctx = rep.openContext(); Context out = req.openContext()) {
                var reply = out.sendAsync(Message.of("two")).thenCompose(v -> out.receiveAsync());
                answerOne(ctx);
                assertThat(reply.get(T.toSeconds(), TimeUnit.SECONDS).bodyString())
                        .isEqualTo("re: two");
            }
        }
    }
}
