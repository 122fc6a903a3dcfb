package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a release publishes: the BOM names every published module at the reactor's version, each published module
 * makes sources and Javadoc jars, and {@code sprocket --version} prints the version the build wrote.
 */
class PublishedArtifactsTest {
    private static final Path ROOT = Path.of("..");

    /** The text of the first {@code <tag>} in {@code xml} after {@code from}. */
    private static String first(String xml, String tag, int from) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
        assertThat(m.find(from)).as("<%s> in the pom", tag).isTrue();
        return m.group(1).strip();
    }

    private static String pom(String module) throws IOException {
        return Files.readString(ROOT.resolve(module.isEmpty() ? "pom.xml" : module + "/pom.xml"));
    }

    /** The reactor's modules that are deployed (not {@code maven.deploy.skip}), the BOM excepted. */
    private static List<String> publishedModules() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom(""));
        while (m.find()) {
            String module = m.group(1);
            if (!module.equals("sprocket-bom") && !pom(module).contains("<maven.deploy.skip>true")) {
                out.add(module);
            }
        }
        return out;
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws IOException {
        String parent = pom("");
        String version = first(parent, "version", parent.indexOf("<artifactId>sprocket-parent</artifactId>"));
        String bom = pom("sprocket-bom");
        assertThat(bom).as("the BOM has no parent (its dependencyManagement would be imported)")
                .doesNotContain("<parent>");
        assertThat(first(bom, "version", bom.indexOf("<artifactId>sprocket-bom</artifactId>"))).isEqualTo(version);
        assertThat(pom("")).contains("<module>sprocket-bom</module>");

        List<String> managed = new ArrayList<>();
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>")
                .matcher(bom);
        while (m.find()) {
            managed.add(m.group(1));
        }
        assertThat(managed).as("the BOM's entries").containsExactlyInAnyOrderElementsOf(publishedModules())
                .contains("sprocket-core", "sprocket-cli").doesNotContain("sprocket-testkit");
    }

    @Test
    void everyPublishedModuleMakesSourcesAndJavadocJars() throws IOException {
        for (String module : publishedModules()) {
            assertThat(pom(module)).as(module)
                    .contains("<artifactId>maven-source-plugin</artifactId>")
                    .contains("<artifactId>maven-javadoc-plugin</artifactId>");
        }
    }

    @Test
    void versionPrintsTheProjectVersion() throws IOException {
        String parent = pom("");
        String version = first(parent, "version", parent.indexOf("<artifactId>sprocket-parent</artifactId>"));
        assertThat(Usage.version()).isEqualTo("sprocket " + version);
        CatResult v = InProcessCat.run("--version");
        assertThat(v.status()).isZero();
        assertThat(v.outText()).isEqualTo("sprocket " + version + "\n");
    }
}
