package io.sprocket.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.protocol.bus.BusFamily;
import io.sprocket.protocol.pair.PairFamily;
import io.sprocket.protocol.pubsub.PubSubFamily;
import io.sprocket.protocol.reqrep.ReqRepFamily;
import io.sprocket.protocol.survey.SurveyFamily;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolFamily;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import io.sprocket.testing.fuzz.FuzzInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the protocols' header parsing (REP/RESPONDENT backtraces, REQ/SURVEYOR ids, PAIR1 hop counts, SUB
 * prefixes, BUS) through {@link ProtocolHarness} and {@link FakePipe}s, driven by a script the input spells out:
 * peers' messages arrive with fuzzed headers and bodies, the application sends, receives (and answers what it
 * received), subscribes, pipes come and go, queues drain, the clock moves.
 *
 * <p>Input: flags (bit 0: raw socket), then operations, each one byte ({@code op % 8}) and its operands:
 * 0 deliver {@code u8} bytes on pipe {@code u8}; 1 send a body of {@code u8} bytes; 2 receive (and send the
 * message back, as a REP or RESPONDENT answers); 3 flush pipe {@code u8}; 4 connect a pipe; 5 disconnect pipe
 * {@code u8}; 6 (un)subscribe a prefix of {@code u8} bytes; 7 advance the clock {@code u8 x 10} ms. Oracles:
 * nothing a peer sends makes the protocol throw (malformed input closes that pipe or is dropped); the
 * application's calls throw nothing but {@link SprocketException}; a message received is never larger than the
 * largest one delivered plus one pipe id; a message written to a pipe is never larger than the largest one sent
 * or received plus the largest backtrace a peer sent.
 */
class ProtocolHeaderFuzzTest {
    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rep(byte[] input) {
        run(new ReqRepFamily(), Protocol.REP0, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void req(byte[] input) {
        run(new ReqRepFamily(), Protocol.REQ0, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void surveyor(byte[] input) {
        run(new SurveyFamily(), Protocol.SURVEYOR0, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void respondent(byte[] input) {
        run(new SurveyFamily(), Protocol.RESPONDENT0, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pair1(byte[] input) {
        run(new PairFamily(), Protocol.PAIR1, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sub(byte[] input) {
        run(new PubSubFamily(), Protocol.SUB0, input);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bus(byte[] input) {
        run(new BusFamily(), Protocol.BUS0, input);
    }

    static void run(ProtocolFamily family, Protocol protocol, byte[] input) {
        FuzzInput in = new FuzzInput(input);
        boolean raw = FuzzInput.bit(in.u8(), 0);
        ProtocolHarness h = raw ? ProtocolHarness.raw(family, protocol) : ProtocolHarness.cooked(family, protocol);
        List<FakePipe> pipes = new ArrayList<>();
        appCall(() -> pipes.add(h.connect()));
        long delivered = 0; // largest message a peer sent
        long sent = 0; // largest message the application sent or received
        int ops = 0;
        while (in.remaining() > 0 && ops++ < 256) {
            switch (in.u8() % 8) {
                case 0 -> {
                    byte[] b = in.bytes(in.u8());
                    FakePipe p = pick(pipes, in.u8());
                    if (p != null && !p.isClosed()) {
                        delivered = Math.max(delivered, b.length);
                        h.deliver(p, Message.of(b));
                    }
                }
                case 1 -> {
                    byte[] b = in.bytes(in.u8());
                    sent = Math.max(sent, b.length + (raw ? 8 : 0));
                    appCall(() -> h.send(raw ? Message.of(b).moveToHeader(Math.min(8, b.length)) : Message.of(b)));
                }
                case 2 -> {
                    Message[] got = new Message[1];
                    appCall(() -> got[0] = h.receive());
                    if (got[0] != null) {
                        if (got[0].size() > delivered + 4) {
                            throw new AssertionError("received " + got[0].size() + " bytes; the largest message "
                                    + "delivered had " + delivered);
                        }
                        sent = Math.max(sent, got[0].size());
                        Message back = Message.of(got[0].body()).withHeader(got[0].header());
                        appCall(() -> h.send(back));
                    }
                }
                case 3 -> {
                    FakePipe p = pick(pipes, in.u8());
                    if (p != null) {
                        for (Message m : h.flush(p)) {
                            if (m.size() > sent + delivered + 4) {
                                throw new AssertionError("wrote " + m.size() + " bytes to a pipe; largest sent "
                                        + sent + ", largest delivered " + delivered);
                            }
                        }
                    }
                }
                case 4 -> {
                    if (pipes.size() < 4) {
                        appCall(() -> pipes.add(h.connect()));
                    }
                }
                case 5 -> {
                    FakePipe p = pick(pipes, in.u8());
                    if (p != null) {
                        pipes.remove(p);
                        h.disconnect(p);
                    }
                }
                case 6 -> {
                    byte[] prefix = in.bytes(in.u8() % 16);
                    boolean add = prefix.length == 0 || (prefix[0] & 1) == 0;
                    ProtocolContext own = h.ownContext();
                    appCall(() -> own.subscribe(prefix, add));
                }
                default -> h.advance(Duration.ofMillis(10L * in.u8()));
            }
        }
        for (FakePipe p : List.copyOf(pipes)) {
            h.disconnect(p);
        }
        h.protocol().close();
    }

    private static FakePipe pick(List<FakePipe> pipes, int i) {
        return pipes.isEmpty() ? null : pipes.get(i % pipes.size());
    }

    /** A call of the application's: it may fail, but only with a {@link SprocketException}. */
    private static void appCall(Runnable call) {
        try {
            call.run();
        } catch (SprocketException e) {
            // refused (wrong state, not supported by this protocol, a pipe the protocol does not take)
        }
    }
}
