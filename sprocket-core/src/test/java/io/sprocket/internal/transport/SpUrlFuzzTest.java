package io.sprocket.internal.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes endpoint URL parsing: {@link SpUrl#parse}, {@link SpUrl#withHostPort} (as a listener and as a dialer) and
 * {@link TransportRegistry#forUrl} (never {@code resolveHost}: no DNS). Input: flags (bit 0: listening), then the
 * URL as UTF-8. Oracles: the only failure is a {@link SprocketException} ADDRESS_INVALID (NOT_SUPPORTED for an
 * unknown scheme) naming the URL; what parses has a lower-case scheme, a port from 0 to 65535, a host for a
 * dialer and a path that is empty or starts with '/'. Seeds: {@code SpUrlFuzzTestInputs/parse/}
 * (scripts/fuzz-seeds.py).
 */
class SpUrlFuzzTest {
    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void parse(byte[] input) {
        boolean listening = input.length > 0 && (input[0] & 1) != 0;
        String text = input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        SpUrl url;
        try {
            url = SpUrl.parse(text);
            TransportRegistry.forUrl(url);
        } catch (SprocketException e) {
            expect(e, text, ErrorCode.ADDRESS_INVALID, ErrorCode.NOT_SUPPORTED);
            return;
        }
        if (!url.scheme().equals(url.scheme().toLowerCase(java.util.Locale.ROOT)) || url.scheme().isEmpty()) {
            throw new AssertionError("scheme '" + url.scheme() + "' of " + text);
        }
        SpUrl hp;
        try {
            hp = url.withHostPort(listening);
        } catch (SprocketException e) {
            expect(e, text, ErrorCode.ADDRESS_INVALID);
            return;
        }
        if (hp.port() < 0 || hp.port() > 65535) {
            throw new AssertionError("port " + hp.port() + " from " + text);
        }
        if (!listening && hp.host().isEmpty()) {
            throw new AssertionError("a dialer without a host from " + text);
        }
        if (!hp.path().isEmpty() && !hp.path().startsWith("/")) {
            throw new AssertionError("path '" + hp.path() + "' from " + text);
        }
    }

    private static void expect(SprocketException e, String text, ErrorCode... codes) {
        for (ErrorCode c : codes) {
            if (e.code() == c) {
                if (!e.getMessage().contains(text)) {
                    throw new AssertionError("the error does not name the URL: " + e.getMessage(), e);
                }
                return;
            }
        }
        throw new AssertionError("unexpected " + e.code(), e);
    }
}
