package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpHandler#resources}: files from the class path (a folder or a jar), in front of ws:http-root. */
class HttpResourcesTest {
    private static final String SITE = "io/sprocket/transport/ws/site";

    @TempDir
    Path dir;

    static HttpHandler.Request get(String path) {
        return new HttpHandler.Request("GET", path, "", Map.of(), null, "test");
    }

    static String text(HttpHandler.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void servesResourcesOfAFolderWithTheirTypesAndPassesOnTheRest() throws Exception {
        HttpHandler h = HttpHandler.resources(getClass().getClassLoader(), SITE);
        HttpHandler.Response js = h.handle(get("/app.js"));
        assertThat(js.status()).isEqualTo(200);
        assertThat(text(js)).isEqualTo("export const answer = 42;\n");
        assertThat(js.headers()).containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "no-cache");
        assertThat(h.handle(get("/sub/style.css")).headers()).containsEntry("Content-Type", "text/css; charset=utf-8");
        assertThat(h.handle(get("/s%75b/style.css")).status()).as("percent-decoded").isEqualTo(200);
        assertThat(text(h.handle(new HttpHandler.Request("HEAD", "/app.js", "", Map.of(), null, "t"))))
                .as("HEAD: the body is dropped by the server").isNotEmpty();
        for (String passed : List.of("/", "/sub", "/sub/", "/missing.js", "/sub/../app.js", "/%2e%2e/site/app.js",
                "/%zz")) {
            assertThat(h.handle(get(passed))).as(passed).isNull();
        }
        assertThat(h.handle(new HttpHandler.Request("POST", "/app.js", "", Map.of(), null, "t"))).isNull();
        HttpHandler root = HttpHandler.resources(getClass().getClassLoader(), "/" + SITE + "/");
        assertThat(root.handle(get("/app.js")).status()).as("slashes around the folder").isEqualTo(200);
    }

    @Test
    void servesResourcesOfAJar() throws Exception {
        Path jar = dir.resolve("site.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("www/"));
            out.putNextEntry(new JarEntry("www/index.html"));
            out.write("<p>hello</p>".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("www/lib/"));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            HttpHandler h = HttpHandler.resources(loader, "www");
            HttpHandler.Response page = h.handle(get("/index.html"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(text(page)).isEqualTo("<p>hello</p>");
            assertThat(page.headers()).containsEntry("Content-Type", "text/html; charset=utf-8");
            assertThat(h.handle(get("/lib"))).as("a folder entry").isNull();
            assertThat(h.handle(get("/lib/"))).isNull();
            assertThat(h.handle(get("/nothing"))).isNull();
        }
    }

    @Test
    void resourcesGoFirstThenTheFolderThen404OnAListenersPort() throws IOException {
        Files.writeString(dir.resolve("index.html"), "<p>from the folder</p>");
        Files.writeString(dir.resolve("app.js"), "shadowed");
        try (Socket s = WsHttpTest.socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, dir)
                    .setOption(WsOptions.HTTP_HANDLER, HttpHandler.resources(getClass().getClassLoader(), SITE))
                    .start().port();
            WsHttpTest.Answer js = WsHttpTest.http(port, WsHttpTest.get("/app.js"));
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.bodyString()).isEqualTo("export const answer = 42;\n");
            WsHttpTest.Answer page = WsHttpTest.http(port, WsHttpTest.get("/"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.bodyString()).isEqualTo("<p>from the folder</p>");
            assertThat(WsHttpTest.http(port, WsHttpTest.get("/nope.js")).status()).isEqualTo(404);
        }
    }
}
