package io.sprocket.examples;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PUB/SUB: a publisher sends weather and sports news every 50 ms; a subscriber takes the weather only. SP
 * filters at the subscriber and a publisher keeps nothing for subscribers that are not connected yet, so a
 * subscriber sees what is published after it has connected: publishers publish on, as a feed does. This one
 * waits for its first subscriber ({@code awaitSubscribers}), which subscribed before it dialed.
 */
public final class PubSub {
    private PubSub() {
    }

    public static void main(String[] args) throws Exception {
        try (Socket pub = Socket.open(Protocol.PUB0); Socket sub = Socket.open(Protocol.SUB0)) {
            Listener listener = pub.listen("tcp://127.0.0.1:0");
            sub.subscribe("weather.");                                     // a prefix of the body
            sub.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(5));
            sub.dial("tcp://127.0.0.1:" + listener.port());
            pub.awaitSubscribers(1, Duration.ofSeconds(5));                // "is anyone listening?"
            ReqRepService.check(pub.subscriberCount() == 1, "subscribers: " + pub.subscriberCount());

            AtomicInteger n = new AtomicInteger();
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            try {
                ticker.scheduleAtFixedRate(() -> {
                    int i = n.incrementAndGet();
                    pub.send(Message.of("weather.paris " + (10 + i % 5) + "C"));
                    pub.send(Message.of("sports.rugby score " + i));
                }, 0, 50, TimeUnit.MILLISECONDS);
                for (int i = 0; i < 3; i++) {
                    String news = sub.receive().bodyString();
                    System.out.println("received: " + news);
                    ReqRepService.check(news.startsWith("weather."), "a message the subscription filters out: " + news);
                }
            } finally {
                ticker.shutdownNow();                                      // before the sockets close
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        System.out.println("pub-sub: OK");
    }
}
