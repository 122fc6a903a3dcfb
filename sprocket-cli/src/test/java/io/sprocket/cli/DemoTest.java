package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Chromium;
import io.sprocket.testkit.Json;
import io.sprocket.testkit.PeerProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprocket demo}: its page in two tabs of a headless Chromium (every socket reaches {@code open}, the
 * chart updates, the form is answered by the Java REP service, the tabs chat over BUS and count each other over
 * SURVEY, no console errors, a 1280x800 screenshot in {@code target/demo.png}), and the command itself
 * (prints its address, stops on SIGTERM). {@code docs/demo.png} is made by this test with a full chart:
 * {@code mvn -pl sprocket-cli -am test -Dtest=DemoTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddemo.screenshot=$PWD/docs/demo.png}.
 */
class DemoTest {
    private static final String[] SOCKETS = {"feed", "rpc", "chat", "presence"};

    @TempDir
    Path dir;

    @Test
    void thePageWorksInTwoTabs() throws IOException {
        try (Demo demo = Demo.start(0); Chromium chromium = Chromium.start(dir)) {
            assertThat(demo.url()).matches("http://127\\.0\\.0\\.1:\\d+/");
            Chromium.Tab one = chromium.newTab(demo.url());
            Chromium.Tab two = chromium.newTab(demo.url());
            for (Chromium.Tab tab : new Chromium.Tab[] {one, two}) {
                for (String socket : SOCKETS) {
                    tab.waitFor(socket + " open", "document.getElementById('" + socket
                            + "').dataset.sprocketState === 'open'");
                }
                assertThat(tab.evalString("document.getElementById('summary').textContent"))
                        .isEqualTo("4 of 4 sockets open");
            }
            // the chart: points arrive several times a second and the canvas is drawn
            one.activate();
            one.waitFor("20 points on the chart", "+document.getElementById('feed').dataset.points >= 20");
            double t0 = Double.parseDouble(one.evalString("document.getElementById('feed').dataset.lastT"));
            one.waitFor("a newer point", "+document.getElementById('feed').dataset.lastT > " + t0);
            assertThat(one.eval("(() => { const c = document.getElementById('chart');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n > 1000; })()"))
                    .as("pixels drawn").isEqualTo(true);
            one.waitFor("JVM stats", "document.getElementById('stat-threads').textContent !== '–'");
            // the form, answered by the Java REP service
            one.eval("document.getElementById('rpc-input').value = 'Sprocket in a page';"
                    + " document.querySelector('#rpc-form button').click()");
            one.waitFor("the answer", "document.getElementById('rpc-answer').dataset.reply === 'SPROCKET IN A PAGE'");
            assertThat(one.evalString("document.getElementById('rpc-answer').textContent"))
                    .contains("reversed: egap a ni tekcorpS").contains("18 characters, 4 words").contains("Java ");
            // chat between the tabs
            String nameOne = one.evalString("document.getElementById('me-name').textContent");
            String nameTwo = two.evalString("document.getElementById('me-name').textContent");
            say(one, "Hello from the first tab");
            two.waitFor("tab one's message", chatHas("Hello from the first tab"));
            say(two, "Hi! The second tab here.");
            one.waitFor("tab two's message", chatHas("Hi! The second tab here."));
            assertThat(one.evalString("document.getElementById('chat-log').textContent"))
                    .contains(nameOne + "Hello from the first tab").contains(nameTwo + "Hi! The second tab here.");
            // who is here: both tabs counted, in both tabs
            for (Chromium.Tab tab : new Chromium.Tab[] {one, two}) {
                tab.waitFor("a count of 2", "document.getElementById('presence').dataset.count === '2'");
                assertThat(tab.evalString("document.getElementById('presence-names').textContent"))
                        .contains(nameOne).contains(nameTwo);
            }
            assertThat(demo.gateway().browsers()).isEqualTo(8);
            one.activate();
            one.waitFor("the chart drawn at the front", "document.visibilityState === 'visible'");
            String docs = System.getProperty("demo.screenshot"); // regenerating docs/demo.png: a full chart
            if (docs != null) {
                one.waitFor("30 s of points", "+document.getElementById('feed').dataset.points >= 300");
            }
            byte[] png = one.screenshot();
            Path shot = docs != null ? Path.of(docs) : Path.of("target", "demo.png");
            Files.createDirectories(shot.toAbsolutePath().getParent());
            Files.write(shot, png); // the kind of picture docs/demo.png is
            assertThat(pngSize(png)).containsExactly(1280, 800);
            assertThat(one.errors).as("console errors of tab one").isEmpty();
            assertThat(two.errors).as("console errors of tab two").isEmpty();
            two.close();
            one.waitFor("a count of 1 once tab two is gone", "document.getElementById('presence').dataset.count === '1'");
        }
    }

    private static void say(Chromium.Tab tab, String text) {
        tab.eval("document.getElementById('chat-input').value = " + Json.quote(text) + ";"
                + " document.querySelector('#chat-form button').click()");
    }

    private static String chatHas(String text) {
        return "document.getElementById('chat-log').textContent.includes(" + Json.quote(text) + ")";
    }

    /** Width and height from a PNG's IHDR chunk. */
    private static int[] pngSize(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    @Test
    void theCommandPrintsItsAddressAndStopsOnSigterm() throws Exception {
        try (CliProcesses g = new CliProcesses()) {
            PeerProcess demo = g.ours("demo", "--port", "0");
            demo.awaitOut("the address", b -> new String(b, StandardCharsets.UTF_8).endsWith("/\n"));
            String url = new String(demo.out(), StandardCharsets.UTF_8).trim();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/");
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Sprocket demo</title>").contains("data-sprocket-state");
            long start = System.nanoTime();
            demo.terminate();
            assertThat(demo.awaitExit()).isEqualTo(143);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aBadPortIsRefused() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = DemoCommand.run(new String[] {"--port", "http"}, System.out,
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port http");
    }
}
