package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real reverse proxy or load balancer in front of a listener under test: Debian's {@code haproxy} or
 * {@code nginx} (or {@code tinyproxy}) run in the foreground as a {@link PeerProcess}, with a configuration written
 * into the test's folder from a template. The template names ports as {@code ${port}}, {@code ${port2}}...: each
 * distinct name gets a free loopback port ({@link Ports#free()}) that the proxy is waited for on; any other
 * {@code ${name}} is taken from the variables given, and {@code ${dir}} is the proxy's own folder (its
 * configuration, pid and temporary files; one per start, so several proxies can share a test's folder). {@link #restart()} stops
 * and starts it again on the same ports (live connections through it break). A missing binary fails the test
 * under {@code CI=true} and skips it otherwise.
 *
 * <p>nginx runs as {@code nginx -p DIR -c nginx.conf -e stderr -g 'daemon off;'}; the template is its
 * {@code http} or {@code stream} block (or both): the main section ({@code pid}, {@code error_log}, the
 * {@code stream} module's {@code load_module} when the template has a {@code stream} block, {@code events}) is
 * added, and {@code ${nginx_temp}} gives the temporary paths and access log an {@code http} block needs. HAProxy runs
 * as {@code haproxy -db -f haproxy.cfg} and tinyproxy as {@code tinyproxy -d -c tinyproxy.conf}, with the template
 * as the whole file.
 */
public final class ProxyProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("\\$\\{(port\\d*)}");
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** Where Debian's libnginx-mod-stream puts the stream module. */
    private static final String STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

    /** The proxies this class knows how to run. */
    public enum Kind {
        /** HAProxy ({@code haproxy -db -f cfg}). */
        HAPROXY("haproxy", "haproxy.cfg"),
        /** nginx ({@code nginx -p dir -c nginx.conf -e stderr -g 'daemon off;'}). */
        NGINX("nginx", "nginx.conf"),
        /** tinyproxy ({@code tinyproxy -d -c conf}). */
        TINYPROXY("tinyproxy", "tinyproxy.conf");

        final String binary;
        final String file;

        Kind(String binary, String file) {
            this.binary = binary;
            this.file = file;
        }
    }

    private final Kind kind;
    private final Path dir;
    private final Path config;
    private final Map<String, Integer> ports;
    private final List<PeerProcess> runs = new ArrayList<>();
    private PeerProcess process;

    private ProxyProcess(Kind kind, Path dir, Path config, Map<String, Integer> ports) {
        this.kind = kind;
        this.dir = dir;
        this.config = config;
        this.ports = ports;
    }

    /**
     * Writes the configuration and starts the proxy; returns once it accepts connections on all of its ports.
     *
     * @param kind which proxy
     * @param parent a folder of the test's own (a {@code @TempDir}): the proxy gets a new folder in it
     * @param template the configuration, with {@code ${port}}... and {@code ${name}} placeholders
     * @param vars values of the other placeholders
     */
    public static ProxyProcess start(Kind kind, Path parent, String template, Map<String, String> vars) {
        PeerProcess.require(kind.binary);
        Path dir;
        try {
            dir = Files.createTempDirectory(parent, kind.binary + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder in " + parent, e);
        }
        if (kind == Kind.NGINX && template.contains("stream {") && !Files.exists(Path.of(STREAM_MODULE))) {
            throw PeerProcess.unavailable("nginx's stream module " + STREAM_MODULE
                    + " is missing; install it (Debian: apt-get install libnginx-mod-stream)");
        }
        Map<String, Integer> ports = new HashMap<>();
        Matcher m = PORT.matcher(template);
        while (m.find()) {
            ports.computeIfAbsent(m.group(1), k -> Ports.free());
        }
        Map<String, String> all = new HashMap<>(vars);
        ports.forEach((k, v) -> all.put(k, String.valueOf(v)));
        all.put("dir", dir.toAbsolutePath().toString());
        all.put("nginx_temp", nginxTemp(dir));
        String text = substitute(template, all);
        if (kind == Kind.NGINX) {
            text = nginxMain(dir, text.contains("stream {")) + text;
        }
        Path config = dir.resolve(kind.file);
        try {
            Files.writeString(config, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ProxyProcess p = new ProxyProcess(kind, dir, config, Map.copyOf(ports));
        try {
            p.launch();
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static String substitute(String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in the template");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        return m.appendTail(sb).toString();
    }

    private static String nginxMain(Path dir, boolean stream) {
        String d = dir.toAbsolutePath().toString();
        return (stream ? "load_module " + STREAM_MODULE + ";\n" : "")
                // as root, workers would run as nobody, which cannot write into the test's folder
                + ("root".equals(System.getProperty("user.name")) ? "user root;\n" : "")
                + "worker_processes 1;\npid " + d + "/nginx.pid;\nerror_log stderr info;\n"
                + "events { worker_connections 256; }\n";
    }

    private static String nginxTemp(Path dir) {
        String d = dir.toAbsolutePath().toString();
        return "client_body_temp_path " + d + "/body; proxy_temp_path " + d + "/proxy; fastcgi_temp_path " + d
                + "/fastcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " + d + "/scgi; access_log " + d
                + "/access.log;";
    }

    private void launch() {
        List<String> args = switch (kind) {
            case HAPROXY -> List.of("-db", "-f", config.toString());
            case NGINX -> List.of("-p", dir.toAbsolutePath() + "/", "-c", config.toString(), "-e", "stderr", "-g",
                    "daemon off;");
            case TINYPROXY -> List.of("-d", "-c", config.toString());
        };
        process = PeerProcess.start(kind.binary, args);
        runs.add(process);
        for (int port : ports.values()) {
            Await.until(kind.binary + " to listen on port " + port, PeerProcess.MAX_WAIT, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return true;
                } catch (IOException e) {
                    if (!process.isAlive()) {
                        throw new AssertionError(kind.binary + " exited:\n" + process.describe()
                                + "\n  config " + config + ":\n" + configText());
                    }
                    return false;
                }
            });
        }
    }

    /** The port the template called {@code ${name}} ({@code "port"}, {@code "port2"}...). */
    public int port(String name) {
        Integer p = ports.get(name);
        if (p == null) {
            throw new IllegalArgumentException("the template has no ${" + name + "}; it has " + ports.keySet());
        }
        return p;
    }

    /** The port of {@code ${port}}. */
    public int port() {
        return port("port");
    }

    /** Stops the proxy (connections through it break) and starts it again with the same configuration and ports. */
    public void restart() {
        process.close();
        launch();
    }

    /** The configuration as written. */
    public String configText() {
        try {
            return Files.readString(config);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** What the proxy printed so far, over all its runs (nginx and HAProxy log to stderr here). */
    public String log() {
        StringBuilder sb = new StringBuilder();
        for (PeerProcess p : runs) {
            sb.append(p.stdout()).append(p.stderr());
        }
        return sb.toString();
    }

    /** Command line, state, output and configuration, for failure messages. */
    public String describe() {
        return process.describe() + "\n  config:\n" + configText();
    }

    /** Stops the proxy. Idempotent. */
    @Override
    public void close() {
        for (PeerProcess p : runs) {
            p.close();
        }
    }
}
