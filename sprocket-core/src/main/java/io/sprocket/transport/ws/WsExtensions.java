package io.sprocket.transport.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Sec-WebSocket-Extensions} grammar of RFC 6455 section 9.1, parsed into extensions and their
 * parameters, without judging them (that is {@link WsDeflate}'s job):
 * <pre>
 * extension-list = 1#extension
 * extension      = token *( OWS ";" OWS extension-param )
 * extension-param = token [ OWS "=" OWS ( token | quoted-string ) ]
 * </pre>
 * Several header lines make one list; empty list elements are skipped (RFC 7230 section 7). A quoted value is
 * returned unescaped; section 9.1 wants it to be a token then, which the extension checks with its values (so a
 * foreign extension's odd value does not spoil the whole header).
 */
final class WsExtensions {
    /** One extension of the list: its name and its parameters in order (duplicates kept, for the caller to refuse). */
    record Extension(String name, List<Param> params) {
        Extension {
            params = List.copyOf(params);
        }
    }

    /** One parameter; {@code value} is null when none was given. */
    record Param(String name, String value) {
    }

    /** Thrown for a header that does not follow the grammar. */
    static final class MalformedException extends Exception {
        MalformedException(String why) {
            super(why);
        }
    }

    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={}";

    private final String s;
    private int at;

    private WsExtensions(String s) {
        this.s = s;
    }

    /** The extensions named by all {@code Sec-WebSocket-Extensions} header values, in order. */
    static List<Extension> parse(List<String> headerValues) throws MalformedException {
        List<Extension> all = new ArrayList<>();
        for (String v : headerValues) {
            new WsExtensions(v).list(all);
        }
        return all;
    }

    private void list(List<Extension> into) throws MalformedException {
        while (true) {
            space();
            if (at == s.length()) {
                return;
            }
            if (s.charAt(at) == ',') { // an empty element
                at++;
                continue;
            }
            into.add(extension());
            space();
            if (at < s.length()) {
                expect(',');
            }
        }
    }

    private Extension extension() throws MalformedException {
        String name = token("an extension name");
        List<Param> params = new ArrayList<>();
        while (true) {
            space();
            if (at == s.length() || s.charAt(at) != ';') {
                return new Extension(name, params);
            }
            at++;
            space();
            String p = token("a parameter name");
            space();
            String value = null;
            if (at < s.length() && s.charAt(at) == '=') {
                at++;
                space();
                value = at < s.length() && s.charAt(at) == '"' ? quoted() : token("a parameter value");
            }
            params.add(new Param(p, value));
        }
    }

    private String token(String what) throws MalformedException {
        int from = at;
        while (at < s.length() && isTokenChar(s.charAt(at))) {
            at++;
        }
        if (at == from) {
            throw malformed("expected " + what);
        }
        return s.substring(from, at);
    }

    /** A quoted-string, unescaped. */
    private String quoted() throws MalformedException {
        at++; // the opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at == s.length()) {
                throw malformed("an unterminated quoted string");
            }
            char c = s.charAt(at++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (at == s.length()) {
                    throw malformed("an unterminated quoted string");
                }
                c = s.charAt(at++);
            }
            b.append(c);
        }
        return b.toString();
    }

    private void expect(char c) throws MalformedException {
        if (at >= s.length() || s.charAt(at) != c) {
            throw malformed("expected '" + c + "'");
        }
        at++;
    }

    private void space() {
        while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t')) {
            at++;
        }
    }

    private MalformedException malformed(String why) {
        return new MalformedException("malformed Sec-WebSocket-Extensions \"" + s + "\": " + why + " at " + at);
    }

    private static boolean isTokenChar(char c) {
        return c > 32 && c < 127 && SEPARATORS.indexOf(c) < 0;
    }
}
