package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate negotiation (RFC 7692 section 7) without a network: which offers a listener accepts and what
 * it answers ({@link WsDeflate#accept}), which answers a dialer takes ({@link WsDeflate#check}), the header
 * grammar ({@link WsExtensions}) and the reserved-bit rule.
 */
class WsDeflateNegotiationTest {

    /** Offers a listener accepts, each with the answer it sends ('|' separates header lines). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "permessage-deflate # permessage-deflate",
        "permessage-deflate; client_max_window_bits # permessage-deflate",
        "permessage-deflate; client_max_window_bits=10 # permessage-deflate",
        "permessage-deflate; server_no_context_takeover # permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover # permessage-deflate; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=15 # permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_max_window_bits=\"15\" # permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; client_max_window_bits; server_no_context_takeover; client_no_context_takeover"
                + " # permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate ;  client_max_window_bits = 9 ,  # permessage-deflate",
        "PerMessage-Deflate; Server_No_Context_Takeover # permessage-deflate; server_no_context_takeover",
        // the first offer that can be honoured wins
        "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_no_context_takeover"
                + " # permessage-deflate; client_no_context_takeover",
        "x-webkit-deflate-frame, permessage-deflate # permessage-deflate",
        "permessage-deflate; foo=1, permessage-deflate; server_max_window_bits=15"
                + " # permessage-deflate; server_max_window_bits=15",
        "x-foo; a=\"b,c;d\" | permessage-deflate # permessage-deflate",
    })
    void listenerAcceptsAndAnswers(String offer, String answer) {
        WsDeflate.Agreed a = WsDeflate.accept(List.of(offer.split("\\|")));
        assertThat(a).isNotNull();
        assertThat(a.header()).isEqualTo(answer);
        assertThat(WsDeflate.accept(List.of(answer))).as("the answer is an offer too").isNotNull();
    }

    /** Offers a listener declines: it answers without the extension. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "",
        "x-webkit-deflate-frame",
        "permessage-deflate; server_max_window_bits=10", // the JDK's Deflater always uses 15
        "permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits", // needs a value
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=015",
        "permessage-deflate; server_max_window_bits=+15",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=abc",
        "permessage-deflate; client_max_window_bits=\"\"",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=\"x\"",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; foo",
        "permessage-deflate; x-client_max_window_bits",
        // not the grammar: the whole header is ignored
        "permessage-deflate;",
        "permessage-deflate; =3",
        "permessage-deflate; server_max_window_bits=\"15",
        "permessage-deflate; server_max_window_bits=\"1 5\"",
        "permessage-deflate client_max_window_bits",
        "permessage-deflate; a=b=c",
        "permessage-deflate, @",
    })
    void listenerDeclines(String offer) {
        assertThat(WsDeflate.accept(List.of(offer))).isNull();
    }

    @Test
    void dialerTakesValidAnswers() throws Exception {
        assertThat(WsDeflate.check(List.of())).isNull();
        assertThat(WsDeflate.check(List.of(" "))).isNull();
        assertThat(WsDeflate.check(List.of("permessage-deflate")))
                .isEqualTo(new WsDeflate.Agreed(false, false, 0, 0));
        assertThat(WsDeflate.check(List.of("permessage-deflate; server_no_context_takeover; "
                + "client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=\"12\"")))
                .isEqualTo(new WsDeflate.Agreed(true, true, 10, 12));
        assertThat(WsDeflate.check(List.of("permessage-deflate; server_max_window_bits=8")).serverMaxWindowBits())
                .isEqualTo(8);
    }

    /** Answers that are not valid answers to {@link WsDeflate#OFFER}: the dialer fails the connection. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "x-foo",
        "permessage-deflate, permessage-deflate",
        "permessage-deflate, x-foo",
        "permessage-deflate; client_max_window_bits", // an answer must give the value
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_no_context_takeover=true",
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; foo",
        "permessage-deflate; server_max_window_bits=\"10",
        "permessage-deflate;",
    })
    void dialerRejectsInvalidAnswers(String answer) {
        assertThatThrownBy(() -> WsDeflate.check(List.of(answer)))
                .isInstanceOf(WsExtensions.MalformedException.class);
    }

    @Test
    void dialerWhoseWindowIsLimitedSendsUncompressed() {
        WsDeflate.Agreed limited = new WsDeflate.Agreed(false, false, 0, 12);
        assertThat(limited.deflater(true, 0)).isNull();
        WsDeflater listener = limited.deflater(false, 0);
        assertThat(listener).isNotNull();
        listener.end();
        WsDeflater full = new WsDeflate.Agreed(false, false, 0, 15).deflater(true, 0);
        assertThat(full).isNotNull();
        full.end();
    }

    @Test
    void parserKeepsParametersInOrderWithUnescapedValues() throws Exception {
        List<WsExtensions.Extension> e = WsExtensions.parse(List.of(
                "a; x=1; y=\"q\\\"z\"", ", , b;z", "c"));
        assertThat(e).hasSize(3);
        assertThat(e.get(0)).isEqualTo(new WsExtensions.Extension("a",
                List.of(new WsExtensions.Param("x", "1"), new WsExtensions.Param("y", "q\"z"))));
        assertThat(e.get(1)).isEqualTo(new WsExtensions.Extension("b", List.of(new WsExtensions.Param("z", null))));
        assertThat(e.get(2).params()).isEmpty();
    }

    @Test
    void reservedBits() {
        // not agreed: any RSV bit is an error
        assertThat(WsDeflate.reservedBitsError(0xc2, false)).contains("no extension");
        assertThat(WsDeflate.reservedBitsError(0x92, false)).contains("no extension");
        // agreed: RSV1 on the first frame of a text or binary message only
        assertThat(WsDeflate.reservedBitsError(0xc2, true)).isNull();
        assertThat(WsDeflate.reservedBitsError(0x41, true)).isNull();
        assertThat(WsDeflate.reservedBitsError(0xc0, true)).contains("continuation");
        assertThat(WsDeflate.reservedBitsError(0xc9, true)).contains("control");
        assertThat(WsDeflate.reservedBitsError(0xc8, true)).contains("control");
        assertThat(WsDeflate.reservedBitsError(0xa2, true)).contains("RSV2 or RSV3");
        assertThat(WsDeflate.reservedBitsError(0xd2, true)).contains("RSV2 or RSV3");
    }
}
