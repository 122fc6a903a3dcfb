package io.sprocket.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;

/**
 * What serving files over HTTP needs wherever they come from ({@code ws:http-root}'s folder, class path
 * resources through {@code HttpHandler.resources}): a request path split into safe segments, content types, and
 * class path resources read. Depends on {@code java.base} only, so both the API ({@code io.sprocket.ws}) and the
 * ws transport can use it.
 */
public final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("ts", "text/plain; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"), Map.entry("map", "application/json"));

    private StaticFiles() {
    }

    /** The content type for a file name's extension, {@code application/octet-stream} if unknown. */
    public static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String t = dot < 0 ? null : TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return t != null ? t : "application/octet-stream";
    }

    /**
     * The segments of a percent-encoded request path, without empty and {@code .} ones, or null if the path is
     * not one a file may be served for: malformed escapes, not absolute, a backslash, a NUL or a {@code ..}
     * segment.
     */
    public static List<String> segments(String rawPath) {
        String path = decode(rawPath);
        if (path == null || !path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (seg.equals("..")) {
                return null;
            }
            if (!seg.isEmpty() && !seg.equals(".")) {
                out.add(seg);
            }
        }
        return out;
    }

    /** Percent-decodes a path as UTF-8 ({@code +} stays), or null if malformed. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                b.write(hi << 4 | lo);
                i += 2;
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /**
     * The bytes of the class path resource {@code folder/a/b.js} of {@code loader} for the path segments
     * {@code [a, b.js]} (see {@link #segments}), or null if there is none or it is a folder.
     */
    public static byte[] resource(ClassLoader loader, String folder, List<String> segs) {
        String base = folder.replaceAll("^/+|/+$", "");
        URL url = loader.getResource((base.isEmpty() ? "" : base + "/") + String.join("/", segs));
        try {
            if (url == null || isFolder(url)) {
                return null;
            }
            try (InputStream in = url.openStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Whether a resource is a folder (a file: URL opened on a folder would answer a listing). */
    private static boolean isFolder(URL url) throws IOException, URISyntaxException {
        if (url.getProtocol().equals("file")) {
            return !Files.isRegularFile(Path.of(url.toURI()));
        }
        if (url.openConnection() instanceof JarURLConnection jar) {
            JarEntry e = jar.getJarEntry();
            return e == null || e.isDirectory();
        }
        return url.getPath().endsWith("/");
    }
}
