package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module {@code io.sprocket} as the tests see it (they run patched into it): only the API is exported, and the
 * service providers in module-info equal the {@code META-INF/services} files that the class path (the CLI's
 * shaded jar) reads.
 */
class ModuleDescriptorTest {
    private static final List<String> SERVICES = List.of("io.sprocket.internal.boot.Bootstrap",
            "io.sprocket.internal.transport.Transport", "io.sprocket.spi.ProtocolFamily");

    private static ModuleDescriptor descriptor() {
        Module m = Socket.class.getModule();
        assertThat(m.isNamed()).as("tests run on the module path, patched into io.sprocket (surefire's default)")
                .isTrue();
        return m.getDescriptor();
    }

    @Test
    void onlyTheApiPackagesAreExportedAndNoneIsInternal() {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("io.sprocket");
        assertThat(d.exports()).allSatisfy(e -> {
            assertThat(e.isQualified()).as(e.source() + " exported to everyone or not at all").isFalse();
            assertThat(e.source()).doesNotContain("internal");
        });
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrder("io.sprocket", "io.sprocket.ws");
        assertThat(d.opens()).as("nothing opened to reflection").isEmpty();
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void theProvidersEqualTheServicesFiles() throws IOException {
        ModuleDescriptor d = descriptor();
        Map<String, List<String>> provided = new TreeMap<>(d.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers)));
        Map<String, List<String>> files = new TreeMap<>();
        for (String service : SERVICES) {
            files.put(service, servicesFile(service));
        }
        assertThat(provided).isEqualTo(files);
        assertThat(d.uses()).isEqualTo(Set.copyOf(SERVICES));
    }

    /** The provider lines of {@code META-INF/services/<service>} in the module (comments and blanks dropped). */
    private static List<String> servicesFile(String service) throws IOException {
        try (InputStream in = Socket.class.getModule().getResourceAsStream("META-INF/services/" + service)) {
            assertThat(in).as("META-INF/services/" + service).isNotNull();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
        }
    }
}
