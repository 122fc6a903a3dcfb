package io.sprocket.cli;

import io.sprocket.SprocketException;
import java.io.PrintStream;

/**
 * {@code sprocket demo [--port N]}: the live demo ({@link Demo}) on {@code http://127.0.0.1:N/} (default 8080;
 * 0 picks a free port) until SIGINT or SIGTERM. Prints the address on stdout.
 */
final class DemoCommand {
    static final String USAGE = """
            Usage: sprocket demo [--port N]

            Starts Java services and a gateway in this JVM and serves a page on http://127.0.0.1:N/
            (default 8080; 0 picks a free port) that talks to them with sprocket.js: a live chart (SUB),
            a form answered by Java (REQ/REP), a chat between tabs (BUS) and who is here (SURVEYOR).
            Prints the address to open; SIGINT (Ctrl-C) or SIGTERM stops it.
            """;

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        GatewayCommand.logFormat();
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--port=")) {
                value = a.substring("--port=".length());
            } else if (a.equals("--port") && i + 1 < args.length) {
                value = args[++i];
            } else if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else {
                err.println("sprocket demo: " + (a.equals("--port") ? "--port needs a value" : "unknown option " + a));
                err.print(USAGE);
                return 1;
            }
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                err.println("sprocket demo: --port " + value + ": expected a port number, 0 to 65535");
                return 1;
            }
        }
        Demo demo;
        try {
            demo = Demo.start(port);
        } catch (SprocketException e) {
            err.println("sprocket demo: cannot serve on port " + port + ": " + e.getMessage()
                    + (port != 0 ? " (try --port 0 for any free port)" : ""));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "sprocket-demo-shutdown"));
        out.println(demo.url());
        out.flush();
        demo.gateway().closed().join();
        return 0;
    }
}
