package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Ports;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every protocol through a gateway route, with Java sockets on both sides: a back end of the route's protocol
 * listening on tcp (the gateway dials it), and a "browser" of the peer protocol dialling the route over ws.
 * Messages cross in each direction the protocol has (PUB/SUB and PUSH/PULL one way only); reflect routes
 * (bus0, pair1) pass messages between browsers.
 */
class GatewayRoutesTest {
    private static final Duration T = Duration.ofSeconds(20);

    private static Socket open(Protocol p) {
        return CliSockets.open(p, T);
    }

    private static Gateway gateway(String... routes) {
        return Gateway.start(new Gateway.Settings("ws://127.0.0.1:0", null,
                List.of(routes).stream().map(GatewayRoute::parse).toList(), null, Set.of(), Set.of(), -1, null));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void everyProtocolCrossesARoute(Protocol p) {
        String back = Ports.tcpUrl();
        try (Socket backEnd = open(p); Socket browser = open(p.peer())) {
            backEnd.listen(back);
            if (p == Protocol.SUB0) {
                backEnd.subscribe("");
            } else if (p == Protocol.PUB0) {
                browser.subscribe("");
            }
            try (Gateway g = gateway("/x=" + p.nngName() + ":" + back)) {
                browser.dial("ws://127.0.0.1:" + g.port() + "/x");
                Await.until("the back end", () -> g.backEnds() == 1);
                switch (p) {
                    case REP0, RESPONDENT0 -> exchange(browser, backEnd); // the browser asks
                    case REQ0, SURVEYOR0 -> exchange(backEnd, browser); // the back end asks the browsers
                    case PUB0, PUSH0 -> arrives(backEnd, browser);
                    case SUB0, PULL0 -> arrives(browser, backEnd);
                    case PAIR0, PAIR1, BUS0 -> {
                        arrives(browser, backEnd);
                        arrives(backEnd, browser);
                    }
                    default -> throw new AssertionError(p);
                }
            }
        }
    }

    /** Three questions from {@code asker}, each answered by {@code answerer}. */
    private static void exchange(Socket asker, Socket answerer) {
        for (int i = 0; i < 3; i++) {
            asker.send(Message.of("q" + i));
            assertThat(answerer.receive().bodyString()).isEqualTo("q" + i);
            answerer.send(Message.of("a" + i));
            assertThat(asker.receive().bodyString()).isEqualTo("a" + i);
        }
    }

    /** Sends until {@code to} receives (subscriptions and pipes come up asynchronously). */
    private static void arrives(Socket from, Socket to) {
        String body = from.protocol().wireName() + " to " + to.protocol().wireName();
        Await.until(body, () -> {
            from.send(Message.of(body));
            try {
                return to.receive(Duration.ofMillis(100)).bodyString().equals(body);
            } catch (SprocketException e) {
                return false;
            }
        });
    }

    @Test
    void reflectRoutesPassMessagesBetweenBrowsers() {
        try (Gateway g = gateway("/chat=bus0", "/duet=pair1"); Socket a = open(Protocol.BUS0);
                Socket b = open(Protocol.BUS0); Socket c = open(Protocol.BUS0); Socket p = open(Protocol.PAIR1)) {
            for (Socket s : List.of(a, b, c)) {
                s.dial("ws://127.0.0.1:" + g.port() + "/chat");
            }
            Await.until("three browsers", () -> g.browsers() == 3);
            a.send(Message.of("hello from a"));
            assertThat(b.receive().bodyString()).isEqualTo("hello from a");
            assertThat(c.receive().bodyString()).isEqualTo("hello from a");
            c.send(Message.of("hi from c"));
            assertThat(a.receive().bodyString()).isEqualTo("hi from c");
            assertThat(b.receive().bodyString()).isEqualTo("hi from c");
            assertThatThrownBy(() -> a.receive(Duration.ofMillis(200))).as("a does not get its own message")
                    .isInstanceOf(SprocketException.class).extracting(e -> ((SprocketException) e).code())
                    .isEqualTo(ErrorCode.TIMED_OUT);
            p.dial("ws://127.0.0.1:" + g.port() + "/duet");
            p.send(Message.of("echo"));
            assertThat(p.receive().bodyString()).as("pair1 reflects to its one peer").isEqualTo("echo");
        }
    }
}
