package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsConfig.Version;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.TestCerts;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        TlsConfig b = a.toBuilder().build(); // same files, another config: equal, yet read again and kept apart
        assertThat(b).isEqualTo(a);
        assertThat(TlsMaterials.of(a)).isSameAs(TlsMaterials.of(a)).isNotSameAs(TlsMaterials.of(b));
        assertThat(TlsMaterials.of(a).hasCertificate()).isTrue();
    }

    @Test
    void equalityIsBySettings() {
        TlsConfig.Builder base = TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server.key"))
                .caFile(CERTS.file("ca.pem")).verify(Verify.OPTIONAL).serverName("example.org");
        TlsConfig c = base.build();
        TlsConfig same = c.toBuilder().build();
        assertThat(same).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c).isNotEqualTo(null).isNotEqualTo("TlsConfig");
        TlsConfig[] others = {
            c.toBuilder().certificate(CERTS.file("client.pem"), CERTS.file("client.key")).build(),
            c.toBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server-combined.pem")).build(),
            c.toBuilder().caFile(CERTS.file("server.pem")).build(),
            c.toBuilder().verify(Verify.REQUIRED).build(),
            c.toBuilder().verify(null).build(),
            c.toBuilder().serverName("example.com").build(),
            c.toBuilder().serverName(null).build(),
            c.toBuilder().versions(Version.TLS_1_3, Version.TLS_1_3).build(),
            c.toBuilder().versions(Version.TLS_1_2, Version.TLS_1_2).build(),
        };
        for (TlsConfig other : others) {
            assertThat(other).as(other.toString()).isNotEqualTo(c);
        }
        assertThat(TlsConfig.newBuilder().build()).isEqualTo(TlsConfig.newBuilder().build());
    }

    @Test
    void theFilesOfAConfigNoLongerUsedAreLetGo() {
        TlsConfig kept = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build();
        WeakReference<TlsConfig> dropped = new WeakReference<>(
                TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build());
        TlsMaterial keptMaterial = TlsMaterials.of(kept);
        int before = TlsMaterials.size();
        Await.until("the dropped config is collected", Duration.ofSeconds(20), () -> {
            System.gc();
            return dropped.get() == null;
        });
        Await.until("its material is dropped", Duration.ofSeconds(20), () -> TlsMaterials.size() < before);
        assertThat(TlsMaterials.of(kept)).isSameAs(keptMaterial);
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
        // the traditional form: it used to say "no private key in it"
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"),
                CERTS.file("server-pkcs1-encrypted.key")), CERTS.file("server-pkcs1-encrypted.key"),
                "the key is encrypted (Proc-Type: 4,ENCRYPTED); give an unencrypted key (e.g. openssl rsa -in "
                + "server-pkcs1-encrypted.key -out plain.key");
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server-ec.pem"),
                CERTS.file("server-ec-encrypted.key")), CERTS.file("server-ec-encrypted.key"),
                "the key is encrypted (Proc-Type: 4,ENCRYPTED); give an unencrypted key (e.g. openssl ec -in ");
        assertFileError(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("client.key")),
                CERTS.file("client.key"), "does not belong to the certificate");
    }
}
