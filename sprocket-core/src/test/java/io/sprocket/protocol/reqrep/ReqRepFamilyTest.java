package io.sprocket.protocol.reqrep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** REQ and REP state machines without a transport: ids, resends, epochs, backtraces, ttl, stalled requesters. */
class ReqRepFamilyTest {
    private static final ReqRepFamily FAMILY = new ReqRepFamily();

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static int headerId(Message m) {
        byte[] h = m.header();
        assertThat(h).hasSize(4);
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
    }

    /** A reply as a REP sends it: the request id, then the body. */
    private static Message reply(int id, String body) {
        byte[] b = body.getBytes();
        byte[] all = new byte[4 + b.length];
        System.arraycopy(u32(id), 0, all, 0, 4);
        System.arraycopy(b, 0, all, 4, b.length);
        return Message.of(all);
    }

    @Test
    void reqSendsAnIdAndTakesOnlyTheMatchingReply() {
        ProtocolHarness req = ProtocolHarness.cooked(FAMILY, Protocol.REQ0);
        FakePipe p = req.connect();
        assertThatThrownBy(req::receive).isInstanceOf(SprocketException.class)
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.BAD_STATE);
        assertThat(req.send(Message.of("ask"))).isTrue();
        Message wire = p.flush().get(0);
        int id = headerId(wire);
        assertThat(id).as("high bit set").isNegative();
        assertThat(wire.bodyString()).isEqualTo("ask");
        assertThat(req.receive()).as("waiting for the reply").isNull();
        req.deliver(p, reply(id + 1, "stale"));
        assertThat(req.receive()).isNull();
        req.deliver(p, reply(id, "answer"));
        assertThat(req.receive().bodyString()).isEqualTo("answer");
        req.deliver(p, Message.of(new byte[] {1, 2})); // under 4 bytes: malformed
        assertThat(p.isClosed()).isTrue();
    }

    @Test
    void reqResendsAfterTheResendTimeAndAtOnceWhenItsPipeDrops() {
        ProtocolHarness req = ProtocolHarness.cooked(FAMILY, Protocol.REQ0)
                .option(SocketOption.REQ_RESEND_TIME, Duration.ofSeconds(10));
        FakePipe a = req.connect();
        req.send(Message.of("ask"));
        Message first = a.flush().get(0);
        req.advance(Duration.ofMillis(9_999));
        assertThat(a.flush()).isEmpty();
        req.advance(Duration.ofMillis(1));
        Message again = a.flush().get(0);
        assertThat(headerId(again)).isEqualTo(headerId(first));
        assertThat(again.bodyString()).isEqualTo("ask");

        FakePipe b = req.connect();
        req.disconnect(a); // resent at once on the other pipe
        assertThat(headerId(b.flush().get(0))).isEqualTo(headerId(first));
        req.deliver(b, reply(headerId(first), "done"));
        assertThat(req.receive().bodyString()).isEqualTo("done");
        req.advance(Duration.ofSeconds(30));
        assertThat(b.flush()).as("answered: no more resends").isEmpty();
    }

    @Test
    void aRequestWaitsForAPipeWithRoom() {
        ProtocolHarness req = ProtocolHarness.cooked(FAMILY, Protocol.REQ0);
        assertThat(req.send(Message.of("nobody"))).isFalse();
        FakePipe p = req.connect().capacity(0);
        assertThat(req.send(Message.of("full"))).isFalse();
        p.capacity(1);
        assertThat(req.send(Message.of("room"))).isTrue();
        assertThat(p.queuedBodies()).containsExactly("room");
    }

    @Test
    void aNewRequestMovesTheEpochAndDropsTheOldReply() {
        ProtocolHarness req = ProtocolHarness.cooked(FAMILY, Protocol.REQ0);
        FakePipe p = req.connect();
        ProtocolContext ctx = req.newContext();
        assertThat(ctx.trySend(Message.of("one"))).isTrue();
        long epoch = ctx.receiveEpoch();
        int firstId = headerId(p.flush().get(0));
        assertThat(ctx.trySend(Message.of("two"))).isTrue();
        assertThat(ctx.receiveEpoch()).isEqualTo(epoch + 1);
        assertThat(req.socket().changedContexts()).containsExactly(ctx, ctx);
        int secondId = headerId(p.flush().get(0));
        req.deliver(p, reply(firstId, "late"));
        assertThat(ctx.tryReceive()).as("the first request was abandoned").isNull();
        req.deliver(p, reply(secondId, "ok"));
        assertThat(ctx.tryReceive().bodyString()).isEqualTo("ok");
    }

    @Test
    void repSplitsTheBacktraceAndRepliesAlongIt() {
        ProtocolHarness rep = ProtocolHarness.cooked(FAMILY, Protocol.REP0);
        FakePipe p = rep.connect();
        assertThatThrownBy(() -> rep.send(Message.of("x"))).isInstanceOf(SprocketException.class)
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.BAD_STATE);
        // a hop (high bit clear) then the request id (high bit set), then the body
        byte[] wire = {0, 0, 0, 7, (byte) 0x80, 0, 0, 9, 'h', 'i'};
        rep.deliver(p, Message.of(wire));
        Message request = rep.receive();
        assertThat(request.bodyString()).isEqualTo("hi");
        assertThat(request.headerLength()).isZero();
        assertThat(rep.send(Message.of("yo"))).isTrue();
        Message out = p.flush().get(0);
        assertThat(out.header()).containsExactly(0, 0, 0, 7, 0x80, 0, 0, 9);
        assertThat(out.bodyString()).isEqualTo("yo");
    }

    @Test
    void repDropsRequestsOverTheHopLimitAndClosesOnAMissingBacktrace() {
        ProtocolHarness rep = ProtocolHarness.cooked(FAMILY, Protocol.REP0).option(SocketOption.TTL_MAX, 2);
        FakePipe p = rep.connect();
        rep.deliver(p, Message.of(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, (byte) 0x80, 0, 0, 3})); // three hops
        assertThat(rep.receive()).isNull();
        assertThat(p.isClosed()).isFalse();
        rep.deliver(p, Message.of(new byte[] {0, 0, 0, 1, (byte) 0x80, 0, 0, 3})); // two: fine
        assertThat(rep.receive()).isNotNull();
        rep.deliver(p, Message.of(new byte[] {0, 0, 0, 1, 0, 0, 0, 2})); // never a high bit
        assertThat(p.isClosed()).isTrue();
    }

    @Test
    void aReplyToAStalledRequesterIsDroppedAfterOneSendTimeout() {
        ProtocolHarness rep = ProtocolHarness.cooked(FAMILY, Protocol.REP0);
        FakePipe p = rep.connect().capacity(0); // reads no replies
        rep.deliver(p, Message.of(new byte[] {(byte) 0x80, 0, 0, 1}));
        rep.receive();
        assertThat(rep.send(Message.of("r1"))).as("waits for room").isFalse();
        assertThat(rep.ownContext().sendTimedOut(Message.of("r1"))).as("dropped at the timeout").isTrue();
        rep.deliver(p, Message.of(new byte[] {(byte) 0x80, 0, 0, 2}));
        rep.receive();
        assertThat(rep.send(Message.of("r2"))).as("stalled: dropped at once").isTrue();
        p.capacity(10);
        rep.flush(p); // room again: no longer stalled
        rep.deliver(p, Message.of(new byte[] {(byte) 0x80, 0, 0, 3}));
        rep.receive();
        assertThat(rep.send(Message.of("r3"))).isTrue();
        assertThat(p.queuedBodies()).containsExactly("r3");
    }

    @Test
    void aReplyToAPipeThatLeftIsDropped() {
        ProtocolHarness rep = ProtocolHarness.cooked(FAMILY, Protocol.REP0);
        FakePipe p = rep.connect();
        rep.deliver(p, Message.of(new byte[] {(byte) 0x80, 0, 0, 1}));
        rep.receive();
        rep.disconnect(p);
        assertThat(rep.send(Message.of("gone"))).isTrue();
        assertThat(p.queued()).isEmpty();
    }

    @Test
    void rawReqAndRepPassHeadersAndRouteByPipeId() {
        ProtocolHarness xreq = ProtocolHarness.raw(FAMILY, Protocol.REQ0);
        FakePipe up = xreq.connect();
        assertThat(xreq.send(Message.of("q").withHeader(u32(0x80000005)))).isTrue();
        assertThat(up.flush().get(0).header()).containsExactly(0x80, 0, 0, 5);
        xreq.deliver(up, Message.of(new byte[] {(byte) 0x80, 0, 0, 5, 'a'}));
        Message back = xreq.receive();
        assertThat(back.header()).containsExactly(0x80, 0, 0, 5);
        assertThat(back.bodyString()).isEqualTo("a");

        ProtocolHarness xrep = ProtocolHarness.raw(FAMILY, Protocol.REP0);
        FakePipe one = xrep.connect();
        FakePipe two = xrep.connect();
        xrep.deliver(two, Message.of(new byte[] {(byte) 0x80, 0, 0, 5, 'q'}));
        Message request = xrep.receive();
        assertThat(request.header()).containsExactly(0, 0, 0, two.id(), 0x80, 0, 0, 5);
        assertThat(xrep.send(Message.of("r").withHeader(request.header()))).isTrue();
        assertThat(one.queued()).isEmpty();
        assertThat(two.queued().get(0).header()).containsExactly(0x80, 0, 0, 5);
        assertThat(xrep.send(Message.of("nowhere").withHeader(u32(99)))).as("unknown pipe: dropped").isTrue();
    }
}
