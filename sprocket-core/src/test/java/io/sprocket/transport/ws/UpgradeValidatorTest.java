package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upgrade checks without a channel: one row per status, in today's order (a request that fails a check and
 * every later one gets that check's status), the Host rule of {@code ws:allowed-hosts}, plain HTTP for other paths,
 * and what an accepted upgrade is answered.
 */
class UpgradeValidatorTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ORIGIN = "https://app.example";

    /** A request to change field by field; starts as a valid upgrade for the PAIR0 listener at /sp. */
    static final class Req {
        String method = "GET";
        String protocol = "HTTP";
        int major = 1;
        int minor = 1;
        String uri = "/sp";
        final Map<String, List<String>> headers = new LinkedHashMap<>(Map.of(
                "Host", List.of("127.0.0.1:8080"), "Upgrade", List.of("websocket"),
                "Connection", List.of("keep-alive, Upgrade"), "Sec-WebSocket-Key", List.of(KEY),
                "Sec-WebSocket-Version", List.of("13"), "Sec-WebSocket-Protocol", List.of("pair.sp.nanomsg.org"),
                "Origin", List.of(ORIGIN + "/")));
        boolean hasBody;
        UpgradeRequest.Failure failure = UpgradeRequest.Failure.NONE;
        boolean closing;

        Req header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, List.of(value));
            }
            return this;
        }

        UpgradeRequest build() {
            return new UpgradeRequest(method, protocol, major, minor, uri, headers, hasBody, failure,
                    failure == UpgradeRequest.Failure.TOO_LONG ? "request body over 1048576 bytes" : "");
        }
    }

    /** The configuration of a PAIR0 ws listener with these options (the rest at their defaults). */
    static EndpointConfig settings(Set<String> origins, Set<String> hosts, boolean deflate, HttpHandler handler) {
        Options o = Options.DEFAULTS.with(WsOptions.ALLOWED_ORIGINS, origins).with(WsOptions.ALLOWED_HOSTS, hosts)
                .with(WsOptions.DEFLATE, deflate);
        return new EndpointConfig(Protocol.PAIR0, handler == null ? o : o.with(WsOptions.HTTP_HANDLER, handler));
    }

    private static WsServer server(String host, EndpointConfig... routes) {
        WsServer s = new WsServer(host, Duration.ofSeconds(10), null);
        String[] paths = {"/sp", "/other"};
        for (int i = 0; i < routes.length; i++) {
            s.add(new WsServer.Route(paths[i], routes[i], WsSettings.of(routes[i].options()), ch -> { }),
                    "ws://" + host + ":8080" + paths[i]);
        }
        return s;
    }

    private static final WsServer PORT = server("127.0.0.1", settings(Set.of(ORIGIN), Set.of(), false, null));

    private static UpgradeValidator.Decision decide(Req r, WsServer server) {
        return UpgradeValidator.validate(r.build(), server, r.closing);
    }

    /**
     * Each check with how to fail it, in the order they run. Row i fails checks i..n together (applied from the
     * last, so an earlier check's change wins where two touch the same field) and must get check i's answer.
     */
    static final List<Object[]> LADDER = List.of(
            new Object[] {413, "request body over 1048576 bytes",
                    (Consumer<Req>) r -> r.failure = UpgradeRequest.Failure.TOO_LONG},
            new Object[] {400, "malformed request", (Consumer<Req>) r -> r.failure = UpgradeRequest.Failure.MALFORMED},
            new Object[] {503, "the listener is closing", (Consumer<Req>) r -> r.closing = true},
            new Object[] {505, "HTTP/1.1 required", (Consumer<Req>) r -> r.major = 2},
            new Object[] {400, "no Host header", (Consumer<Req>) r -> {
                r.minor = 1;
                r.header("Host", null);
            }},
            new Object[] {404, "no SP listener at /nothing/here?x", (Consumer<Req>) r -> r.uri = "/nothing/here?x"},
            new Object[] {400, "WebSocket upgrade needs GET", (Consumer<Req>) r -> r.method = "HEAD"},
            new Object[] {405, "WebSocket upgrade needs GET", (Consumer<Req>) r -> r.method = "PUT"},
            new Object[] {505, "HTTP/1.1 required", (Consumer<Req>) r -> r.minor = 0},
            new Object[] {413, "a WebSocket upgrade has no body", (Consumer<Req>) r -> r.hasBody = true},
            new Object[] {400, "not a WebSocket version 13 upgrade",
                    (Consumer<Req>) r -> r.header("Sec-WebSocket-Version", "8")},
            new Object[] {403, "origin https://evil.example is not in ws:allowed-origins",
                    (Consumer<Req>) r -> r.header("Origin", "https://evil.example")},
            new Object[] {400, "this listener speaks only pair.sp.nanomsg.org, not rep.sp.nanomsg.org",
                    (Consumer<Req>) r -> r.header("Sec-WebSocket-Protocol", "rep.sp.nanomsg.org")});

    static Stream<Arguments> ladder() {
        List<Arguments> rows = new ArrayList<>();
        for (int i = 0; i < LADDER.size(); i++) {
            rows.add(Arguments.of(i, LADDER.get(i)[0], LADDER.get(i)[1]));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "check {0}: {1} {2}")
    @MethodSource("ladder")
    @SuppressWarnings("unchecked")
    void eachCheckAnswersBeforeTheLaterOnes(int check, int status, String reason) {
        Req r = new Req();
        for (int j = LADDER.size() - 1; j >= check; j--) {
            ((Consumer<Req>) LADDER.get(j)[2]).accept(r);
        }
        assertThat(decide(r, PORT)).isEqualTo(new UpgradeValidator.Reject(status, reason));
    }

    @Test
    void aValidUpgradeIsAcceptedWithTheSubprotocolEchoedAndTheAcceptKey() {
        UpgradeValidator.Decision d = decide(new Req().header("Sec-WebSocket-Protocol", " PAIR.sp.nanomsg.org "),
                PORT);
        assertThat(d).isInstanceOfSatisfying(UpgradeValidator.Accept.class, a -> {
            assertThat(a.route().path()).isEqualTo("/sp");
            assertThat(a.subprotocol()).isEqualTo("PAIR.sp.nanomsg.org");
            assertThat(a.acceptKey()).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 section 1.3
            assertThat(a.deflate()).isNull();
        });
    }

    @Test
    void otherTargetsOfTheSameRouteAndMoreNotV13UpgradesAndNoSubprotocol() {
        Req slash = new Req();
        slash.uri = "http://127.0.0.1:8080/sp/?q#f";
        assertThat(decide(slash, PORT)).isInstanceOf(UpgradeValidator.Accept.class);
        for (Consumer<Req> notV13 : List.<Consumer<Req>>of(r -> r.header("Upgrade", "h2c"),
                r -> r.header("Connection", "keep-alive"), r -> r.header("Sec-WebSocket-Key", "short"),
                r -> r.header("Sec-WebSocket-Key", null))) {
            Req r = new Req();
            notV13.accept(r);
            assertThat(decide(r, PORT)).isEqualTo(new UpgradeValidator.Reject(400, "not a WebSocket version 13 upgrade"));
        }
        assertThat(decide(new Req().header("Sec-WebSocket-Protocol", null), PORT)).isEqualTo(new UpgradeValidator
                .Reject(400, "this listener speaks only pair.sp.nanomsg.org, not no subprotocol"));
        assertThat(decide(new Req().header("Origin", null), PORT)).as("no Origin: not a browser")
                .isInstanceOf(UpgradeValidator.Accept.class);
    }

    /** ws:subprotocol-required false: an upgrade naming no subprotocol is accepted, one naming another is not. */
    @Test
    void withoutARequiredSubprotocolAnUpgradeNamingNoneIsAccepted() {
        WsServer lenient = server("127.0.0.1", new EndpointConfig(Protocol.PAIR0,
                Options.DEFAULTS.with(WsOptions.SUBPROTOCOL_REQUIRED, false)));
        assertThat(decide(new Req().header("Sec-WebSocket-Protocol", null), lenient))
                .isInstanceOfSatisfying(UpgradeValidator.Accept.class, a -> assertThat(a.subprotocol()).isNull());
        assertThat(decide(new Req().header("Sec-WebSocket-Protocol", "rep.sp.nanomsg.org"), lenient))
                .isEqualTo(new UpgradeValidator.Reject(400,
                        "this listener speaks only pair.sp.nanomsg.org, not rep.sp.nanomsg.org"));
    }

    @Test
    void pathsOfNoListenerArePlainHttpWhenThePortServesItToThatHost() {
        HttpHandler h = r -> null;
        WsServer port = server("127.0.0.1", settings(Set.of(), Set.of(), false, null),
                settings(Set.of(), Set.of("www.example"), false, h));
        Req page = new Req().header("Host", "www.example");
        page.uri = "/index.html";
        assertThat(decide(page, port)).isInstanceOf(UpgradeValidator.NotSp.class);
        page.header("Host", "127.0.0.1");
        assertThat(decide(page, port)).as("not a Host the HTTP service's listener serves")
                .isEqualTo(new UpgradeValidator.Reject(404, "no SP listener at /index.html"));
        Req wrongHost = new Req().header("Host", "www.example");
        assertThat(decide(wrongHost, port)).as("a listener's path for another Host is not plain HTTP")
                .isEqualTo(new UpgradeValidator.Reject(404, "no SP listener at /sp for Host 'www.example' (this "
                        + "listener answers Host 127.0.0.1 or 127.0.0.1:<port>; listen on 0.0.0.0, or set "
                        + "ws:allowed-hosts)"));
    }

    @Test
    void aRefusedHostIsNamedWithTheHostsTheListenerAnswers() {
        assertThat(UpgradeValidator.hostRefusal("/sp", "localhost", Set.of(), "127.0.0.1"))
                .isEqualTo("no SP listener at /sp for Host 'localhost' (this listener answers Host 127.0.0.1 or "
                        + "127.0.0.1:<port>; listen on 0.0.0.0, or set ws:allowed-hosts)");
        assertThat(UpgradeValidator.hostRefusal("/sp", "evil", Set.of("b.example", "a.example"), "0.0.0.0"))
                .contains("for Host 'evil'").contains("answers ws:allowed-hosts a.example, b.example");
    }

    @Test
    void hostRuleOfAllowedHostsAndOfNng() {
        assertThat(UpgradeValidator.hostAllowed("anything:1", Set.of("*"), "127.0.0.1")).isTrue();
        assertThat(UpgradeValidator.hostAllowed(null, Set.of(), "0.0.0.0")).as("wildcard: any Host").isTrue();
        assertThat(UpgradeValidator.hostAllowed("x", Set.of(), "")).isTrue();
        assertThat(UpgradeValidator.hostAllowed("x", Set.of(), "::")).isTrue();
        assertThat(UpgradeValidator.hostAllowed("127.0.0.1:80", Set.of(), "127.0.0.1")).isTrue();
        assertThat(UpgradeValidator.hostAllowed("localhost:80", Set.of(), "127.0.0.1")).as("no lookup").isFalse();
        assertThat(UpgradeValidator.hostAllowed(null, Set.of(), "127.0.0.1")).isFalse();
        assertThat(UpgradeValidator.hostAllowed("LocalHost", Set.of(), "localhost")).isTrue();
        assertThat(UpgradeValidator.hostAllowed("[0:0::1]:9", Set.of(), "::1")).as("IPv6 as addresses").isTrue();
        assertThat(UpgradeValidator.hostAllowed("www.Example:443", Set.of("www.example", "[::1]"), "0.0.0.0"))
                .isTrue();
        assertThat(UpgradeValidator.hostAllowed("[::1]", Set.of("www.example", "[::1]"), "0.0.0.0")).isTrue();
        assertThat(UpgradeValidator.hostAllowed("other", Set.of("www.example"), "0.0.0.0"))
                .as("a list pins a wildcard listener").isFalse();
    }

    @Test
    void deflateIsAgreedOnlyWhenTheListenerTakesIt() {
        Req r = new Req().header("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        assertThat(((UpgradeValidator.Accept) decide(r, PORT)).deflate()).isNull();
        WsServer deflating = server("127.0.0.1", settings(Set.of(), Set.of(), true, null));
        assertThat(((UpgradeValidator.Accept) decide(r, deflating)).deflate()).isNotNull()
                .satisfies(a -> assertThat(a.header()).startsWith("permessage-deflate"));
    }

    @Test
    void originsCompareIgnoringCaseAndOneTrailingSlash() {
        OriginPolicy p = OriginPolicy.of(Set.of("https://app.example/", "http://localhost:8080"));
        assertThat(p.allows(List.of())).as("no Origin: not a browser").isTrue();
        assertThat(p.allows(List.of(" HTTPS://APP.example "))).isTrue();
        assertThat(p.allows(List.of("http://localhost:8080/"))).isTrue();
        assertThat(p.allows(List.of("http://localhost:8080//"))).as("one slash only").isFalse();
        assertThat(p.allows(List.of("https://app.example", "https://evil.example"))).as("all must be listed")
                .isFalse();
        assertThat(OriginPolicy.of(Set.of()).allows(List.of("https://evil.example"))).as("no list: any").isTrue();
    }
}
