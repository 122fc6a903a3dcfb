package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.failure;
import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Context;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextTest {

    /** Serves requests on {@code ctx} forever: receive, answer "re:" + request, repeat. */
    static void serve(Context ctx) {
        ctx.receiveAsync().thenCompose(req -> ctx.sendAsync(Message.of("re:" + req.bodyString())))
                .whenComplete((v, e) -> {
                    if (e == null) {
                        serve(ctx);
                    }
                });
    }

    @Test
    void oneRepSocketServesAThousandConcurrentRequestsWithContexts() throws Exception {
        int n = 1000;
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            Listener l = rep.listen("tcp://127.0.0.1:0");
            for (int i = 0; i < 64; i++) {
                serve(rep.openContext());
            }
            req.dial("tcp://127.0.0.1:" + l.port());
            List<Context> clients = new ArrayList<>();
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Context c = req.openContext();
                clients.add(c);
                String body = "q" + i;
                replies.add(c.sendAsync(Message.of(body)).thenCompose(v -> c.receiveAsync()));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                assertThat(replies.get(i).get().bodyString()).isEqualTo("re:q" + i);
            }
            clients.forEach(Context::close);
        }
    }

    @Test
    void reqContextsHaveIndependentRequests() {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            Context a = req.openContext();
            Context b = req.openContext();
            a.send(Message.of("from a"));
            b.send(Message.of("from b"));
            // answer in reverse order: each reply finds its own context
            Context r1 = rep.openContext();
            Context r2 = rep.openContext();
            Message m1 = r1.receive();
            Message m2 = r2.receive();
            r2.send(Message.of("re " + m2.bodyString()));
            r1.send(Message.of("re " + m1.bodyString()));
            assertThat(a.receive().bodyString()).isEqualTo("re from a");
            assertThat(b.receive().bodyString()).isEqualTo("re from b");
            assertThat(failure(a::receive).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }

    @Test
    void closingAContextFailsItsWaitersOnly() throws Exception {
        try (Socket req = open(Protocol.REQ0); Socket rep = open(Protocol.REP0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            Context a = req.openContext();
            Context b = req.openContext();
            a.send(Message.of("a"));
            b.send(Message.of("b"));
            CompletableFuture<Message> fa = a.receiveAsync();
            CompletableFuture<Message> fb = b.receiveAsync();
            a.close();
            assertThat(fa).failsWithin(Duration.ofSeconds(10));
            assertThat(fb).isNotDone();
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                got.add(rep.receive().bodyString());
                rep.send(Message.of("ok"));
            }
            assertThat(got).containsExactlyInAnyOrder("a", "b");
            assertThat(fb.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("ok");
            assertThat(failure(() -> a.send(Message.of("x"))).code()).isEqualTo(ErrorCode.CLOSED);
        }
    }

    @Test
    void subContextsFilterIndependently() {
        try (Socket pub = open(Protocol.PUB0); Socket sub = open(Protocol.SUB0)) {
            String url = inproc();
            pub.listen(url);
            sub.dial(url);
            Context news = sub.openContext();
            Context sport = sub.openContext();
            news.subscribe("news");
            sport.subscribe("sport");
            news.setOption(SocketOption.RECV_TIMEOUT, Duration.ofMillis(20));
            Await.until("news delivered", () -> {
                pub.send(Message.of("news: first"));
                try {
                    return news.receive().bodyString().equals("news: first");
                } catch (SprocketException e) {
                    return false;
                }
            });
            pub.send(Message.of("sport: goal"));
            assertThat(sport.receive().bodyString()).isEqualTo("sport: goal");
            assertThat(failure(() -> sub.receive(Duration.ofMillis(50))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void surveyorContextsRunTheirOwnSurveys() {
        try (Socket surveyor = open(Protocol.SURVEYOR0); Socket resp = open(Protocol.RESPONDENT0)) {
            surveyor.setOption(SocketOption.SURVEY_TIME, Duration.ofSeconds(5));
            String url = inproc();
            surveyor.listen(url);
            resp.dial(url);
            Context s1 = surveyor.openContext();
            Context s2 = surveyor.openContext();
            Await.until("respondent connected", () -> {
                s1.send(Message.of("probe"));
                try {
                    resp.receive(Duration.ofMillis(20));
                    return true;
                } catch (SprocketException e) {
                    return false;
                }
            });
            s1.send(Message.of("one"));
            s2.send(Message.of("two"));
            for (int i = 0; i < 2; i++) {
                Message q = resp.receive();
                resp.send(Message.of("answer " + q.bodyString()));
            }
            assertThat(s2.receive().bodyString()).isEqualTo("answer two");
            assertThat(s1.receive().bodyString()).isEqualTo("answer one");
        }
    }

    @Test
    void protocolsWithoutContextsSaySo() {
        try (Socket push = open(Protocol.PUSH0); Socket xrep = Socket.openRaw(Protocol.REP0)) {
            assertThat(failure(push::openContext).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
            assertThat(failure(xrep::openContext).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        }
    }
}
