package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsConfig.Version;
import io.sprocket.TlsConfig;
import io.sprocket.testkit.TestCerts;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building, copying and describing configs, and the errors for bad files. */
class TlsConfigTest {
    private static final TestCerts CERTS = TestCerts.get();

    @TempDir
    Path dir;

    @Test
    void defaultsAreNngs() {
        TlsConfig c = TlsConfig.newBuilder().build();
        assertThat(c.verify()).isEmpty();
        assertThat(c.verify(false)).isEqualTo(Verify.REQUIRED);
        assertThat(c.verify(true)).isEqualTo(Verify.NONE);
        assertThat(c.minVersion()).isEqualTo(Version.TLS_1_2);
        assertThat(c.maxVersion()).isEqualTo(Version.TLS_1_3);
        assertThat(c.certificateFile()).isEmpty();
        assertThat(c.serverName()).isEmpty();
    }

    @Test
    void toBuilderCopiesAndToStringShowsNoKeyMaterial() throws Exception {
        TlsConfig c = TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server.key"))
                .caFile(CERTS.file("ca.pem")).verify(Verify.OPTIONAL).serverName("example.org")
                .versions(Version.TLS_1_3, Version.TLS_1_3).build();
        TlsConfig copy = c.toBuilder().build();
        assertThat(copy.certificateFile()).isEqualTo(c.certificateFile());
        assertThat(copy.keyFile()).isEqualTo(c.keyFile());
        assertThat(copy.caFile()).isEqualTo(c.caFile());
        assertThat(copy.verify()).contains(Verify.OPTIONAL);
        assertThat(copy.serverName()).contains("example.org");
        assertThat(copy.minVersion()).isEqualTo(Version.TLS_1_3);
        String text = c.toString();
        assertThat(text).contains("server.pem", "server.key", "ca.pem", "OPTIONAL", "example.org", "TLSv1.3");
        String key = Files.readString(CERTS.file("server.key"));
        String keyLine = key.lines().skip(1).findFirst().orElseThrow();
        assertThat(text).doesNotContain(keyLine).doesNotContain("PRIVATE");
    }

    @Test
    void aConfigIsPlainDataAndItsFilesAreKeptPerConfig() {
        for (Field f : TlsConfig.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertThat(f.getType()).as(f.getName()).isIn(Path.class, Verify.class, String.class, Version.class);
            }
        }
        TlsConfig a = TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build();
        TlsConfig b = a.toBuilder().build(); // same files, another config: read again, kept apart
        assertThat(TlsMaterials.of(a)).isSameAs(TlsMaterials.of(a)).isNotSameAs(TlsMaterials.of(b));
        assertThat(TlsMaterials.of(a).hasCertificate()).isTrue();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> TlsConfig.newBuilder().versions(Version.TLS_1_3, Version.TLS_1_2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsConfig.newBuilder().serverName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsConfig.newBuilder().caFile(null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertFileError(TlsConfig.Builder b, Path file, String why) {
        assertThatThrownBy(b::build).isInstanceOf(SprocketException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(why)
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.IO_ERROR);
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertFileError(TlsConfig.newBuilder().caFile(missing), missing, "no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
        assertFileError(TlsConfig.newBuilder().caFile(garbage), garbage, "no certificate");
        assertFileError(TlsConfig.newBuilder().certificate(garbage, CERTS.file("server.key")), garbage,
                "no certificate");
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), garbage), garbage,
                "no private key");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertFileError(TlsConfig.newBuilder().caFile(broken), broken, "not a valid X.509 certificate");
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"),
                CERTS.file("server-encrypted.key")), CERTS.file("server-encrypted.key"), "encrypted");
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("client.key")),
                CERTS.file("client.key"), "does not belong to the certificate");
    }
}
