package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.testkit.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad PEM files give one error that names the file and says what is wrong, at once: DER lengths inside an EC key
 * that are negative, too long or truncated can neither hang the reader nor escape as an unchecked exception.
 */
class PemTest {
    private static final Duration QUICK = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path pem(String name, String type, byte[] der) throws Exception {
        return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n");
    }

    /** Reading {@code file} as a key fails with IO_ERROR naming the file, well within a second or so. */
    private static void assertKeyRefused(Path file, String why) {
        assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> Pem.privateKey(file))
                .isInstanceOf(SprocketException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(why)
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.IO_ERROR));
    }

    @Test
    void aNegativeDerLengthInAnEcKeyIsRefusedNotLoopedOn() throws Exception {
        // SEQUENCE(10) { OCTET STRING with the 4-byte length 0xfffffffa (-6 as an int) }: it used to point the
        // element walk back at itself for ever
        Path neg = pem("neg.pem", "EC PRIVATE KEY",
                new byte[] {0x30, 0x0a, 0x04, (byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfa, 0, 0, 0, 0});
        assertKeyRefused(neg, "not valid DER");
    }

    @Test
    void shortAndOverlongEcKeysAreRefused() throws Exception {
        assertKeyRefused(pem("five.pem", "EC PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}),
                "names no curve");
        assertKeyRefused(pem("past.pem", "EC PRIVATE KEY", new byte[] {0x30, 0x7f, 0x02, 0x01}), "not valid DER");
        assertKeyRefused(pem("one.pem", "EC PRIVATE KEY", new byte[] {0x30}), "not valid DER");
        assertKeyRefused(pem("empty.pem", "EC PRIVATE KEY", new byte[0]), "not valid DER");
        assertKeyRefused(pem("zero.pem", "EC PRIVATE KEY", new byte[] {0x30, (byte) 0x80, 0, 0}), "not valid DER");
    }

    @Test
    void everyTruncationAndCorruptionOfARealEcKeyFailsCleanly() throws Exception {
        byte[] der = Pem.read(TestCerts.get().file("server-ec.key"), "private key").stream()
                .filter(b -> b.type().equals("EC PRIVATE KEY")).findFirst().orElseThrow().der();
        assertThat(Pem.privateKey(pem("whole.pem", "EC PRIVATE KEY", der)).getAlgorithm()).isEqualTo("EC");
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int n = 0; n < der.length; n++) {
                expectCleanFailure(pem("cut.pem", "EC PRIVATE KEY", Arrays.copyOf(der, n)));
            }
            for (int k = 0; k < 500; k++) {
                byte[] bad = der.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bad[random.nextInt(Math.min(bad.length, 12))] = (byte) random.nextInt(256); // the headers
                }
                expectCleanFailure(pem("flip.pem", "EC PRIVATE KEY", bad));
            }
        });
    }

    /** Either a key comes out, or an IO_ERROR naming the file: never another exception. */
    private static void expectCleanFailure(Path file) {
        try {
            Pem.privateKey(file);
        } catch (SprocketException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(e.getMessage()).contains(file.toString());
        }
    }

    @Test
    void aGarbageCertificateSaysWhichBlockAndNoJavaInternals() throws Exception {
        Path garbage = pem("garbage.pem", "CERTIFICATE", "hello world garbage".getBytes());
        assertThatThrownBy(() -> Pem.certificates(garbage, "certificate"))
                .isInstanceOf(SprocketException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("first CERTIFICATE block")
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("Exception");
        Path empty = pem("empty-cert.pem", "CERTIFICATE", new byte[0]);
        assertThatThrownBy(() -> Pem.certificates(empty, "CA")).isInstanceOf(SprocketException.class)
                .hasMessageContaining(empty.toString()).hasMessageNotContaining("java.");
    }
}
