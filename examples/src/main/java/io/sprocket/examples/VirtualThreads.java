package io.sprocket.examples;

import io.sprocket.Context;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Thread-per-request with blocking calls: a REP socket serves with many contexts, each looping on its own
 * (virtual) thread, and many REQ contexts ask at once, one thread each. Sprocket's blocking calls park on
 * java.util.concurrent locks, so virtual threads unmount while they wait instead of pinning a carrier thread.
 * Virtual threads need JDK 21; this example compiles for 17 and, on a JDK before 21, runs the same code on
 * platform threads and says so.
 */
public final class VirtualThreads {
    private static final int SERVERS = 50;
    private static final int CLIENTS = 200;

    private VirtualThreads() {
    }

    public static void main(String[] args) throws Exception {
        String kind = Runtime.version().feature() >= 21 ? "virtual threads" : "platform threads (JDK "
                + Runtime.version().feature() + "; virtual threads need 21)";
        try (Socket rep = Socket.open(Protocol.REP0); Socket req = Socket.open(Protocol.REQ0)) {
            Listener listener = rep.listen("tcp://127.0.0.1:0");
            req.dial("tcp://127.0.0.1:" + listener.port());
            ExecutorService threads = threadPerTask();
            try {
                for (int i = 0; i < SERVERS; i++) {
                    Context ctx = rep.openContext();               // each context: its own request at a time
                    threads.submit(() -> serve(ctx));
                }
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String question = "question " + i;
                    replies.add(threads.submit(() -> ask(req, question)));
                }
                for (int i = 0; i < CLIENTS; i++) {
                    String reply = replies.get(i).get();
                    ReqRepService.check(reply.equals("answer to question " + i), "unexpected reply " + reply);
                }
                System.out.println(CLIENTS + " requests served by " + SERVERS + " contexts on " + kind);
            } finally {
                rep.close();                                       // ends the servers' receives
                threads.shutdown();
            }
        }
        System.out.println("virtual-threads: OK");
    }

    /** One thread per context: receive, answer, repeat, until the socket closes. */
    private static void serve(Context ctx) {
        try {
            while (true) {
                Message request = ctx.receive();
                ctx.send(Message.of("answer to " + request.bodyString()));
            }
        } catch (SprocketException e) {
            // CLOSED
        }
    }

    /** One request on a context of its own, so that many are in flight on one REQ socket. */
    private static String ask(Socket req, String question) {
        try (Context ctx = req.openContext()) {
            ctx.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
            ctx.send(Message.of(question));
            return ctx.receive().bodyString();
        }
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+ (called reflectively, so this compiles with
     * {@code --release 17}); a cached pool of platform threads before.
     */
    private static ExecutorService threadPerTask() throws ReflectiveOperationException {
        if (Runtime.version().feature() >= 21) {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        return Executors.newCachedThreadPool();
    }
}
