package io.sprocket.examples;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Set;

/**
 * A browser-facing service: one WebSocket port serves a web page (from this jar's resources) and a REP endpoint
 * at {@code /api} that the page calls with the browser's own WebSocket. {@code --port 8080} keeps it running for
 * a browser (open http://localhost:8080/index.html); without it, the example checks itself with the JDK's HTTP
 * client and a Sprocket REQ socket over ws, as a browser would, and exits.
 */
public final class BrowserService {
    private BrowserService() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 0;
        try (Socket rep = Socket.open(Protocol.REP0)) {
            Listener listener = rep.listener("ws://0.0.0.0:" + port + "/api")
                    // the page and its files, served on the SP port for paths no SP endpoint takes (a resource
                    // handler serves files only: the page is /index.html)
                    .setOption(WsOptions.HTTP_HANDLER, HttpHandler.resources(BrowserService.class.getClassLoader(),
                            "io/sprocket/examples/www"))
                    // browsers must come from these pages (a page from elsewhere is refused with 403)
                    .setOption(WsOptions.ALLOWED_ORIGINS, Set.of("http://localhost:" + (port == 0 ? 8080 : port)))
                    .start();
            Thread service = new Thread(() -> serve(rep), "clock service");
            service.start();
            if (port != 0) {
                System.out.println("serving http://localhost:" + port + "/index.html (Ctrl-C stops)");
                service.join();
                return;
            }
            selfCheck(listener.port());
        }
        System.out.println("browser-service: OK");
    }

    /** Answers each request with the time of day and the request. */
    private static void serve(Socket rep) {
        try {
            while (true) {
                Message request = rep.receive();
                rep.send(Message.of(LocalTime.now().withNano(0) + " you said: " + request.bodyString()));
            }
        } catch (SprocketException e) {
            // CLOSED
        }
    }

    /** What a browser does: load the page over HTTP, then speak SP on /api over WebSocket. */
    private static void selfCheck(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/index.html");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("GET /index.html -> " + page.statusCode() + " "
                + page.headers().firstValue("content-type").orElse(""));
        ReqRepService.check(page.statusCode() == 200 && page.body().contains("rep.sp.nanomsg.org"), "the page");

        try (Socket req = Socket.open(Protocol.REQ0)) {
            req.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(5));
            req.dial("ws://127.0.0.1:" + port + "/api");
            req.send(Message.of("hello"));
            String reply = req.receive().bodyString();
            System.out.println("ws /api -> " + reply);
            ReqRepService.check(reply.endsWith("you said: hello"), "unexpected reply " + reply);
        }
    }
}
