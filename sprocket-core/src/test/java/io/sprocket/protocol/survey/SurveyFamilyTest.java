package io.sprocket.protocol.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SURVEYOR and RESPONDENT without a transport: ids, the deadline, stale responses, raw mode. */
class SurveyFamilyTest {
    private static final SurveyFamily FAMILY = new SurveyFamily();

    private static Message response(byte[] id, String body) {
        byte[] b = body.getBytes();
        byte[] all = new byte[4 + b.length];
        System.arraycopy(id, 0, all, 0, 4);
        System.arraycopy(b, 0, all, 4, b.length);
        return Message.of(all);
    }

    private static ErrorCode code(Throwable e) {
        return ((SprocketException) e).code();
    }

    @Test
    void aSurveyGoesToEveryoneAndCollectsResponsesUntilItsDeadline() {
        ProtocolHarness s = ProtocolHarness.cooked(FAMILY, Protocol.SURVEYOR0)
                .option(SocketOption.SURVEY_TIME, Duration.ofSeconds(1));
        assertThatThrownBy(s::receive).satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BAD_STATE));
        FakePipe a = s.connect();
        FakePipe b = s.connect().capacity(0); // full: misses the survey, the send does not wait
        assertThat(s.send(Message.of("who"))).isTrue();
        assertThat(b.queued()).isEmpty();
        byte[] id = a.flush().get(0).header();
        assertThat(id[0] & 0x80).isNotZero();
        assertThat(s.receive()).isNull();
        s.deliver(a, response(id, "me"));
        s.deliver(a, response(new byte[] {(byte) 0x80, 0, 0, 0}, "stale"));
        assertThat(s.receive().bodyString()).isEqualTo("me");
        assertThat(s.receive()).isNull();
        s.advance(Duration.ofMillis(999));
        assertThat(s.receive()).isNull();
        int told = s.socket().changedContexts().size();
        s.advance(Duration.ofMillis(1));
        assertThat(s.socket().changedContexts()).as("waiting receives are told").hasSize(told + 1);
        assertThatThrownBy(s::receive).satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.TIMED_OUT));
        assertThatThrownBy(s::receive).satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BAD_STATE));
        s.deliver(a, response(id, "late"));
        assertThatThrownBy(s::receive).satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BAD_STATE));
    }

    @Test
    void aNewSurveyDiscardsTheOldOnesResponses() {
        ProtocolHarness s = ProtocolHarness.cooked(FAMILY, Protocol.SURVEYOR0);
        FakePipe a = s.connect();
        s.send(Message.of("one"));
        byte[] first = a.flush().get(0).header();
        s.deliver(a, response(first, "for one"));
        s.send(Message.of("two"));
        byte[] second = a.flush().get(0).header();
        assertThat(second).isNotEqualTo(first);
        s.deliver(a, response(first, "late for one"));
        assertThat(s.receive()).isNull();
        s.deliver(a, response(second, "for two"));
        assertThat(s.receive().bodyString()).isEqualTo("for two");
        s.deliver(a, Message.of(new byte[] {1}));
        assertThat(a.isClosed()).as("a response without an id").isTrue();
        assertThat(s.socket().pendingTimers()).as("the first survey's timer was cancelled").isEqualTo(1);
    }

    @Test
    void respondentAnswersAlongTheBacktrace() {
        ProtocolHarness r = ProtocolHarness.cooked(FAMILY, Protocol.RESPONDENT0);
        FakePipe p = r.connect();
        r.deliver(p, Message.of(new byte[] {(byte) 0x80, 0, 0, 4, 'q'}));
        assertThat(r.receive().bodyString()).isEqualTo("q");
        assertThat(r.send(Message.of("a"))).isTrue();
        assertThat(p.queued().get(0).header()).containsExactly(0x80, 0, 0, 4);
    }

    @Test
    void rawSurveyorSendsAsGivenWithoutADeadline() {
        ProtocolHarness s = ProtocolHarness.raw(FAMILY, Protocol.SURVEYOR0);
        FakePipe a = s.connect();
        FakePipe b = s.connect();
        assertThat(s.send(Message.of("x").withHeader(new byte[] {(byte) 0x80, 0, 0, 1}))).isTrue();
        assertThat(a.queued()).hasSize(1);
        assertThat(b.queued().get(0).header()).containsExactly(0x80, 0, 0, 1);
        assertThat(s.socket().pendingTimers()).isZero();
        s.deliver(a, Message.of(new byte[] {(byte) 0x80, 0, 0, 1, 'r'}));
        assertThat(s.receive().header()).containsExactly(0x80, 0, 0, 1);
    }
}
