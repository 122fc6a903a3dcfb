package io.sprocket.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The help text (nngcat's, under Sprocket's name, plus the perf subcommand) and the version string. */
final class Usage {
    static final String TEXT = """
            Usage: sprocket <proto> <addr>... [<fmt>] [<opts>...] [<src>]
                   sprocket perf ...      (throughput and latency tests)
                   sprocket device ...    (a forwarder between two raw sockets; device --help)
                   sprocket gateway ...   (a web site and SP routes for browsers on one port,
                                           bridged to back ends; gateway --help)
                   sprocket demo [--port N] (a live demo page on http://127.0.0.1:8080/)

            <proto> must be one of:
              --req0                 (or alias --req)
              --rep0                 (or alias --rep)
              --pub0                 (or alias --pub)
              --sub0                 (or alias --sub)
              --push0                (or alias --push)
              --pull0                (or alias --pull)
              --surveyor0            (or alias --surveyor)
              --respondent0          (or alias --respondent)
              --pair0
              --pair1
              --pair                 (alias for either pair0 or pair1)

            <addr> must be one or more of:
              --dial <url>           (or alias --connect <url>)
              --listen <url>         (or alias --bind <url>)
              --bind-local <port>    (or alias -L <port>)
              --connect-local <port> (or alias -l <port>)
              --bind-ipc <path>      (or alias -X <path>)
              --connect-ipc <path>   (or alias -x <path>)

            <fmt> may be one or none of:
              --format <no|ascii|hex|msgpack|quoted|raw>
              --ascii                (or alias -A)
              --quoted               (or alias -Q)
              --hex
              --msgpack
              --raw

            <opts> may be any of:
              --subscribe <topic>    (only with --sub protocol)
              --silent               (or alias -q)
              --verbose              (or alias -v)
              --count <num>          (or alias -C <num>)
              --delay <secs>         (or alias -d <secs>)
              --interval <secs>      (or alias -i <secs>)
              --recv-timeout <secs>
              --send-timeout <secs>
              --recv-maxsz <size>    (or alias -Z <size>)
              --compat
              --async
              --insecure             (or alias -k)
              --cacert <file>
              --cert <file>          (or alias -E <file>)
              --key <file>
              --zt-home <path>
              --tls-auth-mode <mode> (tls+tcp/wss: check the peer's certificate: none,
                                      optional or required; default required
                                      dialing, none listening; a listener's
                                      'required' refuses clients without a
                                      certificate of the --cacert CA)
              --ws-proxy <url>       (ws/wss dialers: tunnel through the HTTP proxy
                                      http://[user:password@]host:port with CONNECT)
              --ws-header <h>        (ws/wss dialers: add the header 'Name: value' to
                                      the upgrade request; repeatable)
              --ws-deflate           (ws/wss dialers and listeners: compress messages
                                      with permessage-deflate, RFC 7692, when the
                                      peer agrees)
              --ws-http-root <dir>   (ws/wss listeners: serve the files of <dir> over
                                      plain HTTP on the listener's port)
              --ws-http-timeout <secs> (ws/wss listeners: time limit of one plain
                                      HTTP request; default 30)
              --ws-origin <origin>   (ws/wss listeners: allow browsers of this Origin,
                                      e.g. https://host:port, refuse others with 403;
                                      repeatable; non-browser clients always pass)
              --ws-ping-interval <secs> (ws/wss: ping a peer silent this long;
                                      default 0, no pings)
              --ws-ping-timeout <secs> (ws/wss: close when a pinged peer stays silent
                                      this long; default 10)
              --ws-recv-frame-max <size> (ws/wss: largest frame accepted, in bytes,
                                      larger closes with 1009; 0 no limit; default
                                      1048576)
              --ws-recv-text         (ws/wss: accept text frames as messages)
              --ws-response-header <h> (ws/wss listeners: add the header
                                      'Name: value' to the 101 answer; repeatable)
              --ws-send-frame-max <size> (ws/wss: split messages into frames of at
                                      most <size> bytes; 0 never; default 65536)
              --ws-send-text         (ws/wss: send messages as text frames, for
                                      browsers; not checked for UTF-8)
              --ws-trusted-proxy <addr> (ws/wss listeners: believe Forwarded and
                                      X-Forwarded-For from this IP address or
                                      CIDR block; repeatable; default none)
              --proxy-protocol <v>   (tcp, tls+tcp, ws, wss listeners: each
                                      connection starts with a PROXY protocol
                                      header: off, v1, v2 or any; default off)
              --listen-conn-max <n>  (listeners: most connections held at once,
                                      handshakes included; more are closed, ws
                                      answered 503; default 0, no limit)
              --listen-conn-per-ip-max <n> (listeners: the same per client IP
                                      address; default 0, no limit)
              --handshake-max <n>    (listeners: most connections in their SP or
                                      HTTP handshake; a new one closes the oldest;
                                      0 no limit; default 1024)
              --write-timeout <secs> (close a connection whose peer takes no bytes
                                      for this long; 0 never; default 30)
              --stats-interval <time> (print the socket's statistics to stderr
                                      every <time>, e.g. 10s, 500ms, 1m; a bare
                                      number is seconds)
              --stats-format <text|json> (one text line, the default, or one JSON
                                      object per interval)

            <src> may be one of:
              --file <file>          (or alias -F <file>). Use - for standard input.
              --data <data>          (or alias -D <data>)

            Not supported yet by sprocket: zt:// URLs, --zt-home.
            """;

    private Usage() {
    }

    /** What {@code --version} prints: Sprocket's version, from the resource the build writes it into. */
    static String version() {
        String v = null;
        try (InputStream in = Usage.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
            }
        } catch (IOException e) {
            v = null;
        }
        return "sprocket " + (v == null || v.startsWith("$") ? "(development build)" : v);
    }
}
