package io.sprocket.transport.ws;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link WsCodecBenchmark}'s masked operations timed by this thread's CPU time rather than the wall clock, for a
 * machine too loaded for JMH's figures to mean anything: per message, the median (and quartiles) of 15 samples
 * after 2 s of CPU warm-up, at 64 B, 4 KiB and 64 KiB. For A/B runs: one JVM per build and JIT, interleaved.
 *
 * <pre>java -XX:+UseSerialGC -Xmn16m [-XX:TieredStopAtLevel=1] -cp &lt;core test class path&gt; \
 *     io.sprocket.transport.ws.WsCodecCpuTime</pre>
 */
public final class WsCodecCpuTime {
    private WsCodecCpuTime() {
    }

    private interface Op {
        long run();
    }

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int size : new int[] {64, 4096, 65536}) {
            WsCodecBenchmark b = new WsCodecBenchmark();
            b.size = size;
            b.setUp();
            String[] names = {"encodeMasked", "decodeMasked", "decodeMaskedReads"};
            Op[] ops = {b::encodeMasked, b::decodeMasked, b::decodeMaskedReads};
            for (int o = 0; o < ops.length; o++) {
                long per = size >= 65536 ? 3 : size >= 4096 ? 20 : 200; // invocations per sample (x1000 messages)
                long warmEnd = mx.getCurrentThreadCpuTime() + 2_000_000_000L;
                while (mx.getCurrentThreadCpuTime() < warmEnd) {
                    sink += ops[o].run();
                }
                double[] s = new double[15];
                for (int i = 0; i < s.length; i++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    for (int k = 0; k < per; k++) {
                        sink += ops[o].run();
                    }
                    s[i] = (mx.getCurrentThreadCpuTime() - t0) / (per * 1000.0);
                }
                Arrays.sort(s);
                System.out.printf("%-18s %6d  median %9.1f  p25 %9.1f  p75 %9.1f  ns/msg (thread CPU)%n",
                        names[o], size, s[7], s[3], s[11]);
            }
            b.tearDown();
        }
        System.out.println("sink " + (sink & 1));
    }
}
