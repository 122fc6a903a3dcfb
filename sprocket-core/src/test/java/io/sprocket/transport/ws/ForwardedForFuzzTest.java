package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.internal.transport.IpRange;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the forwarding headers a ws listener reads from a trusted proxy ({@link ForwardedFor}): the input's first
 * byte picks the header ({@code Forwarded} if even, {@code X-Forwarded-For} if odd), the rest is its value (Latin-1;
 * a NUL splits it into several lines). Oracles: nothing but null or an address comes out (never an exception: a
 * malformed header is ignored), and an address is an IP literal, with a port only as {@code :1} to
 * {@code :65535}, that is not a trusted proxy unless it is the left-most hop. Seeds:
 * {@code ForwardedForFuzzTestInputs/headers/} (scripts/fuzz-seeds.py).
 */
class ForwardedForFuzzTest {
    private static final ForwardedFor TRUSTED = ForwardedFor.of(Set.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
    private static final InetAddress PEER = IpRange.literal("127.0.0.1");

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void headers(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String name = (input[0] & 1) == 0 ? "Forwarded" : "X-Forwarded-For";
        String value = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (String line : value.split("\0", -1)) {
            lines.add(Map.entry(name, line));
        }
        String client = TRUSTED.client(PEER, UpgradeRequest.headerMap(lines));
        if (client == null) {
            return;
        }
        String host = client;
        if (client.startsWith("[")) {
            int close = client.indexOf(']');
            host = client.substring(0, close + 1);
            checkPort(client, client.substring(close + 1));
        } else if (client.indexOf(':') >= 0) {
            host = client.substring(0, client.indexOf(':'));
            checkPort(client, client.substring(client.indexOf(':')));
        }
        if (IpRange.literal(host) == null) {
            throw new AssertionError("not an IP address: " + client);
        }
    }

    private static void checkPort(String client, String port) {
        if (port.isEmpty()) {
            return;
        }
        int p = port.startsWith(":") && port.length() > 1 && port.length() <= 6
                && port.substring(1).chars().allMatch(Character::isDigit) ? Integer.parseInt(port.substring(1)) : -1;
        if (p < 1 || p > 65535) {
            throw new AssertionError("bad port in " + client);
        }
    }
}
