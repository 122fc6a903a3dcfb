package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * REQ's resend timer is armed lazily (a new request moves its deadline instead of rescheduling it): each
 * request is still resent one resend time after it was sent, never earlier, whatever came before.
 */
class ReqResendTimerTest {

    @Test
    void aShorterResendTimeAppliesToTheNextRequest() {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            Context c = req.openContext();
            c.send(Message.of("first")); // resend time 60 s: its timer is armed for then
            assertThat(rep.receive().bodyString()).isEqualTo("first");
            rep.send(Message.of("ok"));
            assertThat(c.receive().bodyString()).isEqualTo("ok");
            req.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofMillis(100));
            c.send(Message.of("second"));
            assertThat(rep.receive().bodyString()).isEqualTo("second");
            // resent after 100 ms, not after the 60 s the earlier timer was armed for (rep waits up to 10 s)
            assertThat(rep.receive().bodyString()).isEqualTo("second");
        }
    }

    @Test
    void aRequestIsResentOneResendTimeAfterItWasSentNotAfterTheOneBefore() {
        long resend = 400;
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofMillis(resend));
            req.dial(url);
            Context c = req.openContext();
            c.send(Message.of("a"));
            assertThat(rep.receive().bodyString()).isEqualTo("a");
            rep.send(Message.of("ok"));
            assertThat(c.receive().bodyString()).isEqualTo("ok");
            long sentB = System.nanoTime();
            c.send(Message.of("b")); // the timer armed for "a" fires before "b" is due: it must wait on
            assertThat(rep.receive().bodyString()).isEqualTo("b");
            assertThat(rep.receive().bodyString()).isEqualTo("b");
            assertThat((System.nanoTime() - sentB) / 1_000_000).isGreaterThanOrEqualTo(resend);
            assertThat(rep.receive().bodyString()).isEqualTo("b"); // and again, one resend time later
            rep.send(Message.of("done"));
            assertThat(c.receive().bodyString()).isEqualTo("done");
        }
    }

    @Test
    void anInfiniteResendTimeNeverResends() {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.setOption(SocketOption.REQ_RESEND_TIME, SocketOption.INFINITE);
            req.dial(url);
            req.send(Message.of("once"));
            assertThat(rep.receive().bodyString()).isEqualTo("once");
            rep.send(Message.of("answer"));
            assertThat(req.receive().bodyString()).isEqualTo("answer");
            req.send(Message.of("unanswered"));
            assertThat(rep.receive().bodyString()).isEqualTo("unanswered");
            SprocketException e = ReqRepTest.failure(() -> rep.receive(Duration.ofMillis(300)));
            assertThat(e.code()).isEqualTo(io.sprocket.ErrorCode.TIMED_OUT);
        }
    }
}
