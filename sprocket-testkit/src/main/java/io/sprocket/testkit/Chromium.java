package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium (Debian {@code chromium}, started as REAL-PARTS.md says) driven over the Chrome DevTools
 * Protocol: open tabs, run JavaScript in them (awaiting promises), collect their console errors and uncaught
 * exceptions, take screenshots. On CI a missing {@code chromium} fails the test ({@link PeerProcess#require}).
 */
public final class Chromium implements AutoCloseable {
    /** Longest wait for one DevTools command (a script awaiting a browser round trip included). */
    public static final Duration COMMAND_WAIT = Duration.ofSeconds(40);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final PeerProcess process;
    private final WebSocket ws;
    private final Path profile;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<String, Tab> tabs = new ConcurrentHashMap<>();

    /** One tab (a DevTools session attached to a page target). */
    public final class Tab {
        private final String session;
        private final String target;
        /** Console errors and uncaught exceptions of the page, as text. */
        public final List<String> errors = new CopyOnWriteArrayList<>();
        /** Every console message of the page, as "type: text". */
        public final List<String> console = new CopyOnWriteArrayList<>();

        private Tab(String session, String target) {
            this.session = session;
            this.target = target;
        }

        /** Sends a command to this tab. */
        public Map<String, Object> call(String method, String params) {
            return Chromium.this.call(session, method, params);
        }

        /**
         * Evaluates {@code expression} in the page, awaiting it if it is a promise; returns its value (JSON
         * types). A thrown exception or rejected promise fails with its description.
         */
        public Object eval(String expression) {
            Map<String, Object> r = call("Runtime.evaluate", "{\"expression\":" + Json.quote(expression)
                    + ",\"awaitPromise\":true,\"returnByValue\":true}");
            Object ex = r.get("exceptionDetails");
            if (ex != null) {
                Object d = Json.at(ex, "exception", "description");
                throw new AssertionError("the page threw: " + (d != null ? d : ex));
            }
            return Json.at(r, "result", "value");
        }

        /** {@link #eval} as a string. */
        public String evalString(String expression) {
            return String.valueOf(eval(expression));
        }

        /** Waits until {@code condition} (a JavaScript expression) is true in the page. */
        public void waitFor(String what, String condition) {
            long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
            Object last = null;
            while (System.nanoTime() < deadline) {
                try {
                    last = eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()");
                } catch (AssertionError navigating) {
                    last = navigating.getMessage(); // a context destroyed by a navigation: try again
                }
                if (Boolean.TRUE.equals(last)) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what);
                }
            }
            throw new AssertionError("timed out after " + COMMAND_WAIT.toSeconds() + " s waiting for " + what
                    + " (" + condition + "); console: " + console);
        }

        /** Brings the tab to the front (hidden tabs get no animation frames). */
        public void activate() {
            call("Page.bringToFront", "{}");
        }

        /** A PNG of the tab's viewport. */
        public byte[] screenshot() {
            Map<String, Object> r = call("Page.captureScreenshot", "{\"format\":\"png\"}");
            return Base64.getDecoder().decode((String) r.get("data"));
        }

        /** Closes the tab. */
        public void close() {
            Chromium.this.call(null, "Target.closeTarget", "{\"targetId\":" + Json.quote(target) + "}");
            tabs.remove(session);
        }
    }

    private Chromium(PeerProcess process, WebSocket ws, Path profile) {
        this.profile = profile;
        this.process = process;
        this.ws = ws;
    }

    /** Starts Chromium with a new profile under {@code dir}, and connects to its DevTools. */
    public static Chromium start(Path dir, String... extraFlags) {
        Path profile;
        try {
            profile = Files.createTempDirectory(dir, "chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,800",
                "--hide-scrollbars", "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows"));
        args.addAll(List.of(extraFlags));
        args.add("about:blank");
        PeerProcess p = PeerProcess.start("chromium", args);
        try {
            p.awaitStderr("DevTools listening on ws://", PeerProcess.MAX_WAIT);
        } catch (AssertionError e) {
            p.close();
            throw new AssertionError("chromium gave no DevTools address; it said: " + p.stderr(), e);
        }
        Matcher m = DEVTOOLS.matcher(p.stderr());
        if (!m.find()) {
            p.close();
            throw new AssertionError("no DevTools address in: " + p.stderr());
        }
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(m.group(1)), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            self[0].dispatch(text);
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
        self[0] = new Chromium(p, ws, profile);
        return self[0];
    }

    /** Opens a new tab at {@code url} (1280x800), with console and exception capture on. */
    public Tab newTab(String url) {
        Map<String, Object> t = call(null, "Target.createTarget", "{\"url\":\"about:blank\"}");
        String target = (String) t.get("targetId");
        Map<String, Object> a = call(null, "Target.attachToTarget", "{\"targetId\":" + Json.quote(target)
                + ",\"flatten\":true}");
        Tab tab = new Tab((String) a.get("sessionId"), target);
        tabs.put(tab.session, tab);
        tab.call("Runtime.enable", "{}");
        tab.call("Log.enable", "{}");
        tab.call("Page.enable", "{}");
        tab.call("Emulation.setDeviceMetricsOverride", "{\"width\":1280,\"height\":800,\"deviceScaleFactor\":1,"
                + "\"mobile\":false}");
        tab.call("Page.navigate", "{\"url\":" + Json.quote(url) + "}");
        tab.waitFor("the page at " + url + " to load", "document.readyState === 'complete' && location.href !== "
                + "'about:blank'");
        return tab;
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String text) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        Object id = m.get("id");
        if (id != null) {
            CompletableFuture<Map<String, Object>> f = pending.remove(((Double) id).intValue());
            if (f != null) {
                if (m.get("error") != null) {
                    f.completeExceptionally(new AssertionError("DevTools error: " + m.get("error")));
                } else {
                    f.complete((Map<String, Object>) m.get("result"));
                }
            }
            return;
        }
        Tab tab = tabs.get(String.valueOf(m.get("sessionId")));
        if (tab == null) {
            return;
        }
        Object params = m.get("params");
        switch (String.valueOf(m.get("method"))) {
            case "Runtime.consoleAPICalled" -> {
                String type = String.valueOf(Json.at(params, "type"));
                StringBuilder b = new StringBuilder();
                for (Object arg : (List<Object>) Json.at(params, "args")) {
                    Object v = Json.at(arg, "value");
                    b.append(v != null ? v : Json.at(arg, "description")).append(' ');
                }
                tab.console.add(type + ": " + b.toString().trim());
                if (type.equals("error") || type.equals("assert")) {
                    tab.errors.add("console." + type + ": " + b.toString().trim());
                }
            }
            case "Runtime.exceptionThrown" -> tab.errors.add("uncaught: " + String.valueOf(Json.at(params,
                    "exceptionDetails", "exception", "description")) + " " + Json.at(params, "exceptionDetails", "text"));
            case "Log.entryAdded" -> {
                if ("error".equals(Json.at(params, "entry", "level"))) {
                    tab.errors.add("log: " + Json.at(params, "entry", "text") + " (" + Json.at(params, "entry", "url")
                            + ")");
                }
            }
            default -> {
                // other events are not needed
            }
        }
    }

    private Map<String, Object> call(String session, String method, String params) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        String msg = "{\"id\":" + id + ",\"method\":" + Json.quote(method) + ",\"params\":" + params
                + (session == null ? "" : ",\"sessionId\":" + Json.quote(session)) + "}";
        synchronized (ws) {
            ws.sendText(msg, true).join();
        }
        try {
            return f.get(COMMAND_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to " + method + " within " + COMMAND_WAIT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** What Chromium printed on stderr. */
    public String stderr() {
        return process.stderr();
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        process.close();
        // deleted here, not with the test's temporary folder: JUnit fails when a file appears during its delete
        Await.until("chromium's profile " + profile + " deleted", Duration.ofSeconds(10), () -> delete(profile));
    }

    /** Deletes a folder tree; false if something was in the way (a file written meanwhile), to try again. */
    private static boolean delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (NoSuchFileException gone) {
            return !Files.exists(root);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
