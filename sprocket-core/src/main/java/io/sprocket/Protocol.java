package io.sprocket;

import java.util.Locale;
import java.util.Optional;

/**
 * The Scalability Protocols, with their 16-bit wire identifiers (protocol number * 16 + role) and the names
 * used in WebSocket subprotocols ({@code <name>.sp.nanomsg.org}). A socket of one protocol only talks to
 * sockets of its {@link #peer()} protocol.
 */
public enum Protocol {
    /** PAIR v0: one peer at a time, both directions. */
    PAIR0(0x10, 0x10, "pair"),
    /** PAIR v1: one peer at a time (or many, {@link Socket#openPair1Polyamorous()}), with a hop count. */
    PAIR1(0x11, 0x11, "pair1"),
    /** Publisher: sends to every subscriber; never receives. */
    PUB0(0x20, 0x21, "pub"),
    /** Subscriber: receives the publishers' messages matching its subscriptions; never sends. */
    SUB0(0x21, 0x20, "sub"),
    /** Requester: sends a request and receives its reply, resending after {@link SocketOption#REQ_RESEND_TIME}. */
    REQ0(0x30, 0x31, "req"),
    /** Replier: receives requests and sends each reply back to its requester. */
    REP0(0x31, 0x30, "rep"),
    /** Pipeline producer: each message goes to one puller (round robin). */
    PUSH0(0x50, 0x51, "push"),
    /** Pipeline consumer: receives from every pusher. */
    PULL0(0x51, 0x50, "pull"),
    /** Surveyor: asks every respondent and collects the answers until the survey time ends. */
    SURVEYOR0(0x62, 0x63, "surveyor"),
    /** Respondent: receives surveys and answers them. */
    RESPONDENT0(0x63, 0x62, "respondent"),
    /** Bus: each message goes to every directly connected peer. */
    BUS0(0x70, 0x70, "bus");

    /** {@code values()} copies its array at every call; lookups read this one. */
    private static final Protocol[] ALL = values();

    private final int id;
    private final int peerId;
    private final String wireName;

    Protocol(int id, int peerId, String wireName) {
        this.id = id;
        this.peerId = peerId;
        this.wireName = wireName;
    }

    /** {@return the 16-bit SP identifier sent in the connection header} */
    public int id() {
        return id;
    }

    /** {@return the identifier a peer must have} */
    public int peerId() {
        return peerId;
    }

    /** {@return the peer protocol} */
    public Protocol peer() {
        return byId(peerId);
    }

    /** {@return the short name, e.g. {@code "rep"}, as used in {@code rep.sp.nanomsg.org}} */
    public String wireName() {
        return wireName;
    }

    /** {@return NNG's name, the protocol and its version, e.g. {@code "req0"} (nngcat's {@code --req0})} */
    public String nngName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The protocol named {@code name}: its {@link #nngName()} ({@code "rep0"}) or its {@link #wireName()}
     * ({@code "rep"}; {@code "pair"} is PAIR0), in any case.
     *
     * @param name the name
     * @return the protocol, or empty
     */
    public static Optional<Protocol> byName(String name) {
        for (Protocol p : ALL) {
            if (p.nngName().equalsIgnoreCase(name) || p.wireName.equalsIgnoreCase(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * {@return the protocol with this 16-bit identifier, or {@code null} if none is known}
     *
     * @param id the identifier
     */
    public static Protocol byId(int id) {
        for (Protocol p : ALL) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    /**
     * {@return a description of an identifier for error messages, e.g. {@code "pub (0x20)"}}
     *
     * @param id the identifier
     */
    public static String describe(int id) {
        Protocol p = byId(id);
        String hex = String.format("0x%02x", id);
        return p == null ? "unknown protocol (" + hex + ")" : p.wireName + " (" + hex + ")";
    }
}
