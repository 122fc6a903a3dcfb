package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.failure;
import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PubSubSurveyBusTest {

    /** Publishes {@code text} until {@code sub} gets a message (subscribers that just connected miss early ones). */
    static String firstDelivery(Socket pub, Socket sub, String text) {
        for (int i = 0; i < 200; i++) {
            pub.send(Message.of(text));
            try {
                return sub.receive(Duration.ofMillis(50)).bodyString();
            } catch (SprocketException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
            }
        }
        throw new AssertionError("no delivery");
    }

    @Test
    void subFiltersByPrefix() {
        try (Socket pub = open(Protocol.PUB0); Socket sub = open(Protocol.SUB0)) {
            String url = inproc();
            pub.listen(url);
            sub.dial(url);
            sub.subscribe("news.");
            assertThat(firstDelivery(pub, sub, "news.ready")).isEqualTo("news.ready");
            pub.send(Message.of("sport.goal"));
            pub.send(Message.of("news.rain"));
            assertThat(sub.receive().bodyString()).isEqualTo("news.rain");
            sub.unsubscribe("news.".getBytes());
            sub.subscribe("");
            pub.send(Message.of("sport.goal"));
            assertThat(sub.receive().bodyString()).isEqualTo("sport.goal");
            assertThat(failure(() -> sub.send(Message.of("x"))).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
            assertThat(failure(pub::receive).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
            assertThat(failure(() -> pub.subscribe("x")).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        }
    }

    @Test
    void subWithoutSubscriptionsGetsNothing() {
        try (Socket pub = open(Protocol.PUB0); Socket sub = open(Protocol.SUB0); Socket all = open(Protocol.SUB0)) {
            String url = inproc();
            pub.listen(url);
            sub.dial(url);
            all.dial(url);
            all.subscribe("");
            firstDelivery(pub, all, "hello");
            pub.send(Message.of("again"));
            assertThat(all.receive().bodyString()).isIn("hello", "again");
            assertThat(failure(() -> sub.receive(Duration.ofMillis(100))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void pubNeverBlocksOnAStalledSubscriberAndSubPrefersNew() throws Exception {
        try (Socket pub = open(Protocol.PUB0)) {
            Listener l = pub.listen("tcp://127.0.0.1:0");
            try (RawSpConnection stalled = RawSpConnection.handshake(l.port(), 0x21);
                    Socket sub = open(Protocol.SUB0)) {
                sub.setOption(SocketOption.RECV_BUFFER, 4);
                sub.subscribe("");
                sub.dial("tcp://127.0.0.1:" + l.port());
                firstDelivery(pub, sub, "warm");
                pub.setOption(SocketOption.SEND_TIMEOUT, Duration.ZERO); // a blocked send would fail at once
                byte[] body = new byte[16 * 1024];
                for (int i = 0; i < 5_000; i++) {
                    ByteBuffer.wrap(body).putInt(i);
                    pub.send(Message.of(body.clone())); // 80 MB to a subscriber that reads nothing
                }
                pub.send(Message.of("last"));
                // the SUB keeps the newest messages; the last one arrives
                Await.until("last message", () -> {
                    try {
                        return sub.receive(Duration.ofMillis(100)).bodyString().equals("last");
                    } catch (SprocketException e) {
                        return false;
                    }
                });
            }
        }
    }

    @Test
    void surveyCollectsResponsesUntilTheDeadline() {
        try (Socket surveyor = open(Protocol.SURVEYOR0)) {
            surveyor.setOption(SocketOption.SURVEY_TIME, Duration.ofMillis(1500));
            String url = inproc();
            surveyor.listen(url);
            List<Socket> respondents = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket r = open(Protocol.RESPONDENT0);
                    r.dial(url);
                    respondents.add(r);
                }
                Await.until("respondents connected", () -> {
                    surveyor.send(Message.of("ping"));
                    int got = 0;
                    for (Socket r : respondents) {
                        try {
                            r.receive(Duration.ofMillis(20));
                            got++;
                        } catch (SprocketException e) {
                            // not connected yet
                        }
                    }
                    return got == respondents.size();
                });
                surveyor.send(Message.of("who?"));
                Set<String> answers = new HashSet<>();
                for (int i = 0; i < respondents.size(); i++) {
                    Socket r = respondents.get(i);
                    assertThat(r.receive().bodyString()).isEqualTo("who?");
                    r.send(Message.of("me" + i));
                }
                for (int i = 0; i < respondents.size(); i++) {
                    answers.add(surveyor.receive().bodyString());
                }
                assertThat(answers).containsExactlyInAnyOrder("me0", "me1", "me2");
                SprocketException over = failure(surveyor::receive);
                assertThat(over.code()).isEqualTo(ErrorCode.TIMED_OUT);
                assertThat(failure(surveyor::receive).code()).isEqualTo(ErrorCode.BAD_STATE);
                // a late response to the old survey is dropped
                surveyor.send(Message.of("again?"));
                Socket r0 = respondents.get(0);
                assertThat(r0.receive().bodyString()).isEqualTo("again?");
                r0.send(Message.of("fresh"));
                assertThat(surveyor.receive().bodyString()).isEqualTo("fresh");
            } finally {
                respondents.forEach(Socket::close);
            }
        }
    }

    @Test
    void surveyorBeforeAnySurveyIsBadState() {
        try (Socket s = open(Protocol.SURVEYOR0); Socket r = open(Protocol.RESPONDENT0)) {
            assertThat(failure(s::receive).code()).isEqualTo(ErrorCode.BAD_STATE);
            assertThat(failure(() -> r.send(Message.of("x"))).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }

    @Test
    void busDeliversToAllPeersAndNeverForwards() {
        try (Socket a = open(Protocol.BUS0); Socket b = open(Protocol.BUS0); Socket c = open(Protocol.BUS0)) {
            String url = inproc();
            a.listen(url);
            b.dial(url);
            c.dial(url);
            Await.until("bus connected", () -> {
                a.send(Message.of("probe"));
                try {
                    b.receive(Duration.ofMillis(20));
                    c.receive(Duration.ofMillis(20));
                    return true;
                } catch (SprocketException e) {
                    return false;
                }
            });
            while (true) { // drain probes
                try {
                    b.receive(Duration.ofMillis(50));
                } catch (SprocketException e) {
                    break;
                }
            }
            while (true) {
                try {
                    c.receive(Duration.ofMillis(50));
                } catch (SprocketException e) {
                    break;
                }
            }
            b.send(Message.of("from b"));
            assertThat(a.receive().bodyString()).isEqualTo("from b");
            // b and c are not connected to each other; a does not forward
            assertThat(failure(() -> c.receive(Duration.ofMillis(200))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }
}
