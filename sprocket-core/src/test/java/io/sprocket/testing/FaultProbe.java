package io.sprocket.testing;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.ws.WsOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Sprocket side of {@code scripts/faults.sh}: one REQ, REP, PUB or SUB socket that dials or listens for a number
 * of seconds and prints a timeline on stdout, one event a line with the wall clock in milliseconds (the script's
 * fault times are on the same clock): {@code E <ms> added|removed}, {@code E <ms> reply <seq> <latency-ms>},
 * {@code E <ms> recv <seq>}, {@code E <ms> error <code>}; then {@code S <json>} with the counts. REQ sends numbered
 * requests one at a time ({@code recv-timeout} 30 s: longer than the faults, so a request that outlives one is
 * answered, or counted lost); PUB sends numbered messages at {@code --rate}; REP answers each request with its
 * number; SUB reports what it receives. Bodies are {@code <seq> } padded to {@code --size} bytes (ASCII, so
 * {@code nngcat --format ascii} shows the number). Not a test: run by the script from the test classes.
 *
 * <pre>
 * FaultProbe --proto req|rep|pub|sub --dial|--listen URL [--seconds 60] [--size 1024] [--rate 100]
 *            [--ping-interval MS --ping-timeout MS] [--handshake-timeout MS]
 * </pre>
 */
public final class FaultProbe {
    private static final PrintStream OUT = System.out;

    private FaultProbe() {
    }

    private static synchronized void event(String what) {
        OUT.println("E " + System.currentTimeMillis() + " " + what);
    }

    public static void main(String[] args) {
        Map<String, String> o = new HashMap<>(Map.of("--seconds", "60", "--size", "1024", "--rate", "100"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        Protocol proto = switch (o.getOrDefault("--proto", "")) {
            case "req" -> Protocol.REQ0;
            case "rep" -> Protocol.REP0;
            case "pub" -> Protocol.PUB0;
            case "sub" -> Protocol.SUB0;
            default -> throw new IllegalArgumentException("--proto req|rep|pub|sub");
        };
        long endMs = System.currentTimeMillis() + Long.parseLong(o.get("--seconds")) * 1000;
        int size = Integer.parseInt(o.get("--size"));
        int rate = Integer.parseInt(o.get("--rate"));
        AtomicLong added = new AtomicLong();
        AtomicLong removed = new AtomicLong();
        Map<ErrorCode, Long> errors = new HashMap<>();
        long done = 0;
        long lost = 0;
        try (Socket s = Socket.open(proto)) {
            s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(100));
            s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofSeconds(1));
            s.setOption(SocketOption.RECV_TIMEOUT, proto == Protocol.REQ0 ? Duration.ofSeconds(30)
                    : Duration.ofMillis(500));
            s.setOption(SocketOption.SEND_TIMEOUT, Duration.ofSeconds(1));
            s.setOption(SocketOption.RECV_SIZE_MAX, 16L << 20);
            if (o.containsKey("--ping-interval")) {
                s.setOption(WsOptions.PING_INTERVAL, Duration.ofMillis(Long.parseLong(o.get("--ping-interval"))));
                s.setOption(WsOptions.PING_TIMEOUT, Duration.ofMillis(Long.parseLong(o.get("--ping-timeout"))));
            }
            if (o.containsKey("--handshake-timeout")) {
                s.setOption(SocketOption.HANDSHAKE_TIMEOUT,
                        Duration.ofMillis(Long.parseLong(o.get("--handshake-timeout"))));
            }
            if (proto == Protocol.SUB0) {
                s.subscribe(new byte[0]);
            }
            s.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe pipe) {
                    added.incrementAndGet();
                    event("added");
                }

                @Override
                public void pipeRemoved(Pipe pipe) {
                    removed.incrementAndGet();
                    event("removed");
                }
            });
            if (o.containsKey("--dial")) {
                Dialer d = s.dialer(o.get("--dial"));
                d.startInBackground();
            } else {
                s.listen(o.get("--listen"));
            }
            event("ready");
            long seq = 0;
            long pauseNs = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
            long next = System.nanoTime();
            while (System.currentTimeMillis() < endMs) {
                try {
                    switch (proto) {
                        case REQ0 -> {
                            long t = System.nanoTime();
                            s.send(Message.of(body(++seq, size)));
                            Message m = s.receive();
                            event("reply " + seqOf(m) + " " + (System.nanoTime() - t) / 1_000_000);
                            done++;
                            next = pace(next, pauseNs);
                        }
                        case PUB0 -> {
                            s.send(Message.of(body(++seq, size)));
                            done++;
                            next = pace(next, pauseNs);
                        }
                        case REP0 -> {
                            Message m = s.receive();
                            s.send(Message.of((seqOf(m) + " ").getBytes(StandardCharsets.US_ASCII)));
                            done++;
                        }
                        case SUB0 -> {
                            Message m = s.receive();
                            event("recv " + seqOf(m));
                            done++;
                        }
                        default -> throw new IllegalStateException();
                    }
                } catch (SprocketException e) {
                    if (e.code() == ErrorCode.TIMED_OUT && (proto == Protocol.REP0 || proto == Protocol.SUB0)) {
                        continue; // nothing to receive for a while
                    }
                    errors.merge(e.code(), 1L, Long::sum);
                    if (proto == Protocol.REQ0 && e.code() == ErrorCode.TIMED_OUT) {
                        lost++;
                    }
                    event("error " + e.code());
                }
            }
        }
        OUT.printf("S {\"proto\":\"%s\",\"done\":%d,\"lost\":%d,\"added\":%d,\"removed\":%d,\"errors\":\"%s\"}%n",
                o.get("--proto"), done, lost, added.get(), removed.get(), errors);
        OUT.flush();
        System.exit(0);
    }

    private static long pace(long next, long pauseNs) {
        next += pauseNs;
        long now = System.nanoTime();
        if (next - now > 0) {
            LockSupport.parkNanos(next - now); // the send rate, not a wait for a state
        } else if (now - next > TimeUnit.SECONDS.toNanos(1)) {
            next = now; // after an outage: no burst to catch up
        }
        return next;
    }

    private static byte[] body(long seq, int size) {
        byte[] head = (seq + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[Math.max(size, head.length)];
        Arrays.fill(b, (byte) '.');
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private static String seqOf(Message m) {
        String s = m.bodyString();
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }
}
