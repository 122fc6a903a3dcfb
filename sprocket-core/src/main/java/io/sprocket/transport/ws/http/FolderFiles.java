package io.sprocket.transport.ws.http;

import io.sprocket.internal.http.StaticFiles;
import io.sprocket.ws.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of a {@code ws:http-root} folder: a file's path and length for {@link PlainHttp#write} to stream,
 * or the error answer (405 for methods but GET and HEAD, 400 a bad path, 301 a folder without its slash, 404
 * anything missing or outside the folder). Path and content-type rules are {@link StaticFiles}'.
 */
final class FolderFiles {
    private static final Logger log = LoggerFactory.getLogger(FolderFiles.class);

    private FolderFiles() {
    }

    /** A file under {@code root} for a GET or HEAD of {@code rawPath} (percent-encoded), or the error answer. */
    static PlainHttp.Reply file(Path root, String method, String rawPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new PlainHttp.Reply(new HttpHandler.Response(405, Map.of("Allow", "GET, HEAD", "Content-Type",
                    "text/plain; charset=utf-8"), "405 Method Not Allowed\n".getBytes(StandardCharsets.UTF_8)), false);
        }
        List<String> segs = StaticFiles.segments(rawPath);
        if (segs == null) {
            return PlainHttp.Reply.text(400, "400 Bad Request: bad path\n");
        }
        Path target = root;
        for (String seg : segs) {
            target = target.resolve(seg);
        }
        try {
            Path realRoot = root.toRealPath();
            Path real = target.toRealPath();
            if (!real.startsWith(realRoot)) { // a link out of the folder
                return notFound();
            }
            if (Files.isDirectory(real)) {
                if (!rawPath.endsWith("/")) { // so that the page's relative links resolve inside the folder
                    return new PlainHttp.Reply(new HttpHandler.Response(301, Map.of("Location", rawPath + "/"),
                            new byte[0]), false);
                }
                real = real.resolve("index.html").toRealPath();
                if (!real.startsWith(realRoot)) {
                    return notFound();
                }
            }
            if (!Files.isRegularFile(real)) {
                return notFound();
            }
            return new PlainHttp.Reply(new HttpHandler.Response(200, Map.of("Content-Type",
                    StaticFiles.contentType(real.getFileName().toString())), null), false, real, Files.size(real));
        } catch (NoSuchFileException e) {
            return notFound();
        } catch (IOException | SecurityException e) {
            log.debug("cannot serve {}: {}", target, e.toString());
            return notFound();
        }
    }

    private static PlainHttp.Reply notFound() {
        return PlainHttp.Reply.text(404, "404 Not Found\n");
    }
}
