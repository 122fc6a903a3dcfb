package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the {@code Sec-WebSocket-Extensions} grammar ({@link WsExtensions#parse}) and both sides of the
 * permessage-deflate negotiation: the listener's {@link WsDeflate#accept} of a dialer's offers and the dialer's
 * {@link WsDeflate#check} of a listener's answer. Input: header values as ISO-8859-1 text, one per line. Oracles:
 * parse and check fail only with {@link WsExtensions.MalformedException}, accept never fails (a bad offer is
 * declined); what the listener answers, the dialer takes, with the same parameters (the answer round-trips).
 * Seeds: {@code WsExtensionsFuzzTestInputs/offers/} (scripts/fuzz-seeds.py).
 */
class WsExtensionsFuzzTest {
    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void offers(byte[] input) {
        List<String> values = List.of(new String(input, StandardCharsets.ISO_8859_1).split("\n", -1));
        try {
            WsExtensions.parse(values);
        } catch (WsExtensions.MalformedException e) {
            // a malformed header: the listener declines, the dialer fails the handshake
        }
        try {
            WsDeflate.check(values);
        } catch (WsExtensions.MalformedException e) {
            // the dialer fails the handshake with this reason
        }
        WsDeflate.Agreed answer = WsDeflate.accept(values);
        if (answer == null) {
            return;
        }
        WsDeflate.Agreed taken;
        try {
            taken = WsDeflate.check(List.of(answer.header()));
        } catch (WsExtensions.MalformedException e) {
            throw new AssertionError("the dialer refuses the listener's answer " + answer.header() + " to "
                    + values, e);
        }
        if (!answer.equals(taken)) {
            throw new AssertionError("answer " + answer.header() + " to " + values + " read back as " + taken);
        }
    }
}
