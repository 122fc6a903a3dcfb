package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.PeerProcess;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sprocket} and its class-data sharing archive: one made by this JVM is used; one that does not fit
 * (missing, foreign: not an archive of this JVM, without its size record, truncated) is not, silently; an AOT cache
 * runs the command on the installed JDK of its version, only when neither JAVA nor JAVA_HOME chooses the JVM. The
 * launcher runs in a copy of the repository's layout whose jar is a manifest pointing at
 * the test class path (the shaded jar is made after the tests); each run must print what a run without an archive
 * prints and nothing on stderr (the CLI's output is compared byte for byte).
 */
class LauncherTest {
    private static final Duration T = PeerProcess.MAX_WAIT;

    @TempDir
    Path root;
    private Path archive;

    @BeforeEach
    void layout() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("..", "bin", "sprocket"), bin.resolve("sprocket"), StandardCopyOption.COPY_ATTRIBUTES);
        Path target = Files.createDirectories(root.resolve("sprocket-cli/target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                Stream.of(CliProcesses.testPath().split(File.pathSeparator))
                        .map(p -> Path.of(p).toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(target.resolve("sprocket-cli-all.jar")),
                manifest)) {
            out.flush();
        }
        archive = target.resolve("sprocket-cli-all-" + runtimeVersion() + ".jsa");
    }

    /** This JVM's runtime version as its release file names it (what the launcher reads). */
    private static String runtimeVersion() throws IOException {
        String release = Files.readString(Path.of(System.getProperty("java.home"), "release"));
        Matcher m = Pattern.compile("(?m)^JAVA_RUNTIME_VERSION=\"(.*)\"$").matcher(release);
        assertThat(m.find()).as("JAVA_RUNTIME_VERSION in the JDK's release file").isTrue();
        return m.group(1);
    }

    private String launch(String... environment) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("env", "JAVA=" + java));
        command.addAll(List.of(environment));
        return launchWith(command);
    }

    /** Runs bin/sprocket --version after the {@code env} command ENV and returns what it printed. */
    private String launchWith(List<String> env) {
        List<String> command = new ArrayList<>(env);
        command.addAll(List.of(root.resolve("bin/sprocket").toString(), "--version"));
        try (PeerProcess p = PeerProcess.run("bin/sprocket --version", command)) {
            assertThat(p.awaitExit(T)).as(p.describe()).isZero();
            assertThat(p.stderr()).as("nothing on stderr").isEmpty();
            assertThat(p.stdout()).as("the version").isNotBlank();
            return p.stdout();
        }
    }

    /** Runs bin/sprocket perf (a long-running command: a usage error, exit 2) after the {@code env} command ENV. */
    private void launchPerf(List<String> env) {
        List<String> command = new ArrayList<>(env);
        command.addAll(List.of(root.resolve("bin/sprocket").toString(), "perf"));
        try (PeerProcess p = PeerProcess.run("bin/sprocket perf", command)) {
            assertThat(p.awaitExit(T)).as("perf without a mode: a usage error; " + p.describe()).isEqualTo(2);
        }
    }

    /** Writes an archive file of SIZE random bytes and a size record saying RECORDED. */
    private void archive(int size, long recorded) throws IOException {
        byte[] bytes = new byte[size];
        new Random(14).nextBytes(bytes);
        Files.write(archive, bytes);
        Files.writeString(Path.of(archive + ".size"), Long.toString(recorded));
    }

    @Test
    void aForeignOrUnrecordedArchiveFallsBackSilently() throws IOException {
        String expected = launch(); // no archive
        archive(1 << 20, 1 << 20);
        assertThat(launch()).as("an archive that is not one of this JVM's").isEqualTo(expected);
        Files.delete(Path.of(archive + ".size"));
        assertThat(launch()).as("an archive without its size record").isEqualTo(expected);
    }

    @Test
    void aRealArchiveIsUsedAndATruncatedOneIsNot() throws IOException {
        String expected = launch();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (PeerProcess dump = PeerProcess.run("archive dump", List.of(java, "-XX:ArchiveClassesAtExit=" + archive,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn16m",
                "-jar", root.resolve("sprocket-cli/target/sprocket-cli-all.jar").toString(), "--version"))) {
            assertThat(dump.awaitExit(T)).as(dump.describe()).isZero();
        }
        byte[] whole = Files.readAllBytes(archive);
        Files.writeString(Path.of(archive + ".size"), Integer.toString(whole.length));
        Path classLog = root.resolve("classes.log");
        assertThat(launch("SPROCKET_JAVA_OPTS=-Xlog:class+load:file=" + classLog)).isEqualTo(expected);
        assertThat(Files.readString(classLog)).as("classes mapped from the archive")
                .contains("source: shared objects file (top)");

        // JDK 17 crashes (SIGBUS) mapping a truncated archive: the launcher must not pass it
        Files.delete(archive);
        Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
        assertThat(launch()).as("a truncated archive").isEqualTo(expected);
    }

    @Test
    void anAotCacheRunsOnTheJdkOfItsVersionOnlyWhenNoJavaIsChosen() throws IOException {
        String expected = launch();
        // a fake JDK of the cache's runtime version in SPROCKET_JDKS: its java records its arguments and runs this
        // JVM (JDK 17 knows neither option of the cache) without them
        Path jdks = root.resolve("jdks");
        Path fakeJava = Files.createDirectories(jdks.resolve("fake/bin")).resolve("java");
        Files.writeString(jdks.resolve("fake/release"), "JAVA_VERSION=\"17\"\nJAVA_RUNTIME_VERSION=\"99.0.1+fake\"\n");
        Path args = root.resolve("args.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(fakeJava, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >'" + args + "'\n"
                + "a=(); for x in \"$@\"; do case $x in -XX:AOTCache=*|-Xlog:aot=off) ;; *) a+=(\"$x\") ;; esac; done\n"
                + "exec '" + java + "' \"${a[@]}\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cache = root.resolve("sprocket-cli/target/sprocket-cli-all-99.0.1+fake.aot");
        Files.write(cache, new byte[4096]);
        Files.writeString(Path.of(cache + ".size"), "4096");
        List<String> noJava = List.of("env", "-u", "JAVA", "-u", "JAVA_HOME", "SPROCKET_JDKS=" + jdks);
        // the epoll library unpacked at package: its directory goes on java.library.path (a bad one: Netty then
        // copies its own out of the jar, as without it)
        Path nativeDir = Files.createDirectories(root.resolve("sprocket-cli/target/native"));
        Files.write(nativeDir.resolve("libnetty_transport_native_epoll_x86_64.so"), new byte[16]);

        assertThat(launch("SPROCKET_JDKS=" + jdks)).as("JAVA chooses the JVM").isEqualTo(expected);
        assertThat(args).as("the fake JDK did not run").doesNotExist();

        assertThat(launchWith(noJava)).isEqualTo(expected);
        assertThat(Files.readAllLines(args)).as("the fake JDK ran with the cache")
                .contains("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-XX:CompileThresholdScaling=20",
                        "-Djava.library.path=" + nativeDir);
        Files.delete(args);

        List<String> cdsOff = new ArrayList<>(noJava);
        cdsOff.add("SPROCKET_CDS=off");
        launchWith(cdsOff);
        assertThat(args).as("SPROCKET_CDS=off: not the cache's JDK").doesNotExist();

        launchPerf(noJava);
        assertThat(args).as("a long-running command (perf): not the cache's JDK").doesNotExist();
        List<String> cdsOn = new ArrayList<>(noJava);
        cdsOn.add("SPROCKET_CDS=on");
        launchPerf(cdsOn);
        assertThat(Files.readAllLines(args)).as("SPROCKET_CDS=on: perf too runs with the cache")
                .contains("-XX:AOTCache=" + cache);
        Files.delete(args);

        Files.writeString(Path.of(cache + ".size"), "4095");
        launchWith(noJava);
        assertThat(args).as("a cache of another size than recorded: not used").doesNotExist();
    }

    @Test
    void perfPubFanoutGetsALargerYoungGenerationUnlessTheOptionsSizeTheHeap() throws IOException {
        Path args = root.resolve("args.txt");
        Path fakeJava = fakeJdk17(args);
        String fanOut = "perf pub_fanout --subscribers 1000 tcp://127.0.0.1:1 64 1";

        assertThat(javaArgs(fakeJava, args, "", fanOut)).contains("-XX:+UseSerialGC", "-Xmn128m")
                .doesNotContain("-Xmn16m");
        assertThat(javaArgs(fakeJava, args, "", "perf local_thr tcp://127.0.0.1:1 64 1")).contains("-Xmn16m")
                .doesNotContain("-Xmn128m");
        assertThat(javaArgs(fakeJava, args, "", "--version")).contains("-Xmn16m").doesNotContain("-Xmn128m");
        assertThat(javaArgs(fakeJava, args, "-Xmx64m", fanOut)).as("a heap size in SPROCKET_JAVA_OPTS")
                .contains("-Xmx64m").doesNotContain("-Xmn128m", "-Xmn16m");
    }

    @Test
    void perfCompilesSoonerAndOneShotCommandsLaterUnlessTheOptionsSetTheThresholds() throws IOException {
        Path args = root.resolve("args.txt");
        Path fakeJava = fakeJdk17(args);
        String perf = "perf local_lat tcp://127.0.0.1:1 64 1";

        assertThat(javaArgs(fakeJava, args, "", perf)).contains("-XX:TieredStopAtLevel=1",
                "-XX:CompileThresholdScaling=0.1").doesNotContain("-XX:CompileThresholdScaling=20");
        assertThat(javaArgs(fakeJava, args, "", "--version")).contains("-XX:CompileThresholdScaling=20")
                .doesNotContain("-XX:CompileThresholdScaling=0.1");
        assertThat(javaArgs(fakeJava, args, "-XX:CompileThresholdScaling=1", perf)).as("the user's thresholds")
                .contains("-XX:CompileThresholdScaling=1").doesNotContain("-XX:CompileThresholdScaling=0.1");
        assertThat(javaArgs(fakeJava, args, "", "device tcp://127.0.0.1:1")).as("device: the full tiered JIT")
                .noneMatch(a -> a.startsWith("-XX:CompileThresholdScaling") || a.startsWith("-XX:TieredStopAtLevel"));
    }

    /** A fake JDK 17 whose java writes its arguments to ARGS, a line each, and exits; returns that java. */
    private Path fakeJdk17(Path args) throws IOException {
        Path jdk = root.resolve("jdk17");
        Path fakeJava = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17\"\nJAVA_RUNTIME_VERSION=\"17.0.99+fake\"\n");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >'" + args + "'\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        return fakeJava;
    }

    /** The arguments bin/sprocket gives the fake {@code java} for the command line {@code cli}. */
    private List<String> javaArgs(Path java, Path args, String javaOpts, String cli) throws IOException {
        Files.deleteIfExists(args);
        List<String> command = new ArrayList<>(List.of("env", "JAVA=" + java, "SPROCKET_JAVA_OPTS=" + javaOpts,
                root.resolve("bin/sprocket").toString()));
        command.addAll(Arrays.asList(cli.split(" ")));
        try (PeerProcess p = PeerProcess.run("bin/sprocket " + cli, command)) {
            assertThat(p.awaitExit(T)).as(p.describe()).isZero();
        }
        return Files.readAllLines(args);
    }
}
