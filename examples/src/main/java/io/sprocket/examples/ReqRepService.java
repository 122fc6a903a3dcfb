package io.sprocket.examples;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.Locale;

/**
 * A REQ/REP service: a REP socket answers each request with its body in upper case, and a REQ client asks three
 * times. The service runs on its own thread until its socket closes; any NNG peer can call it too
 * ({@code nngcat --req --dial tcp://127.0.0.1:PORT --data hello -A}).
 */
public final class ReqRepService {
    private ReqRepService() {
    }

    public static void main(String[] args) throws Exception {
        try (Socket rep = Socket.open(Protocol.REP0); Socket req = Socket.open(Protocol.REQ0)) {
            Listener listener = rep.listen("tcp://127.0.0.1:0");                // port 0: any free port
            Thread service = new Thread(() -> serve(rep), "upper-case service");
            service.start();

            req.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(5));    // a reply within 5 s, or TIMED_OUT
            req.dial("tcp://127.0.0.1:" + listener.port());
            for (int i = 1; i <= 3; i++) {
                String request = "hello " + i;
                req.send(Message.of(request));
                String reply = req.receive().bodyString();
                System.out.println(request + " -> " + reply);
                check(reply.equals(request.toUpperCase(Locale.ROOT)), "unexpected reply " + reply);
            }
            rep.close();                                                          // ends the service's receive
            service.join();
        }
        System.out.println("req-rep: OK");
    }

    /** Answers requests until the socket closes. */
    private static void serve(Socket rep) {
        try {
            while (true) {
                Message request = rep.receive();
                rep.send(Message.of(request.bodyString().toUpperCase(Locale.ROOT)));
            }
        } catch (SprocketException e) {
            // CLOSED: the socket was closed, the service ends
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
