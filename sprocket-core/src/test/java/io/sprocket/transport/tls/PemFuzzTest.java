package io.sprocket.transport.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.testing.fuzz.AllocationBound;
import io.sprocket.testing.fuzz.AllocationMeter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the PEM reader behind {@code TlsConfig.Builder.build()} ({@link Pem#certificates(byte[], Path, String)},
 * {@link Pem#privateKey(byte[], Path)}, {@link Pem#checkPair}): base64, the PEM headers of OpenSSL's traditional
 * encrypted keys, the DER walk of SEC1 EC keys, the JDK's X.509 and key parsers behind them. Input: a mode byte
 * ({@code % 4}: 0 a certificate file, 1 a CA file, 2 a key file, 3 one file with certificate and key, whose pair
 * is checked as {@code certificate(Path)} does), then the file's bytes. Oracles: the only failure is a
 * {@link SprocketException} {@code IO_ERROR} whose message is one line, names the file and shows no Java
 * internals; heap allocated while parsing within {@code 8 MiB + 256 x} the file's size (a file of an RSA
 * certificate and key takes ~14 KB, ~1.8 MB under Jazzer's fuzzing instrumentation; a DER length taken on trust
 * would ask for up to 16 MiB; the pair check's signature is left out: it costs what the key size costs); no hang
 * (5 s per input). Seeds:
 * {@code PemFuzzTestInputs/files/} (real RSA, EC, Ed25519 keys in PKCS#8, PKCS#1 and SEC1, encrypted ones,
 * certificates, a chain, truncations, the 12-byte and 5-byte EC keys; scripts/fuzz-seeds.py).
 */
class PemFuzzTest {
    /** The name the errors must carry; no such file exists (the bytes are the file). */
    static final Path FILE = Path.of("fuzz", "input.pem");
    private static final long BOUND_C = 8 << 20;
    private static final long BOUND_K = 256;

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void files(byte[] input) {
        int mode = input.length == 0 ? 0 : (input[0] & 0xff) % 4;
        byte[] file = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        Object[] pair = new Object[2];
        AllocationBound.check(() -> {
            long before = AllocationMeter.allocated();
            run(() -> parse(mode, file, pair));
            return new AllocationBound.Run(AllocationMeter.allocated() - before, BOUND_C + BOUND_K * file.length,
                    "a file of " + file.length + " bytes in mode " + mode + " (bound = " + BOUND_C + " + " + BOUND_K
                            + " x size)");
        });
        if (pair[0] != null && pair[1] != null) {
            // outside the bound: a signature and its check cost what the key's size costs, not what the file's
            // bytes do; the timeout still holds
            run(() -> Pem.checkPair((PrivateKey) pair[1], ((X509Certificate[]) pair[0])[0], FILE, FILE));
        }
    }

    private static void parse(int mode, byte[] file, Object[] pair) {
        switch (mode) {
            case 0 -> nonEmpty(Pem.certificates(file, FILE, "certificate"));
            case 1 -> nonEmpty(Pem.certificates(file, FILE, "CA"));
            case 2 -> Pem.privateKey(file, FILE);
            default -> {
                pair[0] = nonEmpty(Pem.certificates(file, FILE, "certificate"));
                pair[1] = Pem.privateKey(file, FILE);
            }
        }
    }

    /** Runs a step of reading; a failure must be the one documented. */
    private static void run(Runnable step) {
        try {
            step.run();
        } catch (SprocketException e) {
            String m = e.getMessage();
            if (e.code() != ErrorCode.IO_ERROR) {
                throw new AssertionError("unexpected " + e.code(), e);
            }
            if (!m.contains(FILE.toString())) {
                throw new AssertionError("the error does not name the file: " + m, e);
            }
            if (m.contains("\n") || m.contains("java.") || m.contains("Exception")) {
                throw new AssertionError("not one plain line: " + m, e);
            }
        }
    }

    private static X509Certificate[] nonEmpty(X509Certificate[] chain) {
        if (chain.length == 0 || Arrays.asList(chain).contains(null)) {
            throw new AssertionError("an empty or holed chain: " + Arrays.toString(chain));
        }
        return chain;
    }
}
