package io.sprocket.cli;

import io.sprocket.Protocol;

/**
 * The protocols nngcat can run, with the Sprocket protocol each opens and the loop it runs (see
 * {@link CatRunner}). {@code --pair} is resolved to PAIR1, or to PAIR0 with {@code --compat}.
 */
enum CatProtocol {
    REQ0(Protocol.REQ0),
    REP0(Protocol.REP0),
    PUB0(Protocol.PUB0),
    SUB0(Protocol.SUB0),
    PUSH0(Protocol.PUSH0),
    PULL0(Protocol.PULL0),
    SURVEYOR0(Protocol.SURVEYOR0),
    RESPONDENT0(Protocol.RESPONDENT0),
    PAIR0(Protocol.PAIR0),
    PAIR1(Protocol.PAIR1),
    BUS0(Protocol.BUS0);

    private final Protocol protocol;

    CatProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    /** The long option that selects it, without dashes: NNG's name, e.g. {@code "req0"}. */
    String optionName() {
        return protocol.nngName();
    }

    /** The Sprocket protocol to open. */
    Protocol protocol() {
        return protocol;
    }

    /** Whether this protocol only receives (PULL, SUB): --data, --file and --interval are refused. */
    boolean receiveOnly() {
        return this == PULL0 || this == SUB0;
    }

    /** Whether this protocol only sends (PUSH, PUB): --format is refused and data is required. */
    boolean sendOnly() {
        return this == PUSH0 || this == PUB0;
    }

    /** Whether this protocol answers requests (REP, RESPONDENT): --interval is refused. */
    boolean replier() {
        return this == REP0 || this == RESPONDENT0;
    }

    /** Whether this protocol asks (REQ, SURVEYOR): data is required. */
    boolean asker() {
        return this == REQ0 || this == SURVEYOR0;
    }

    /** Whether this protocol both sends and receives freely (PAIR, BUS). */
    boolean peerToPeer() {
        return this == PAIR0 || this == PAIR1 || this == BUS0;
    }

    static CatProtocol of(CatOption option) {
        return switch (option) {
            case REQ0 -> REQ0;
            case REP0 -> REP0;
            case PUB0 -> PUB0;
            case SUB0 -> SUB0;
            case PUSH0 -> PUSH0;
            case PULL0 -> PULL0;
            case SURVEYOR0 -> SURVEYOR0;
            case RESPONDENT0 -> RESPONDENT0;
            case PAIR0 -> PAIR0;
            case PAIR1 -> PAIR1;
            case BUS0 -> BUS0;
            default -> throw new IllegalArgumentException("not a protocol option: " + option);
        };
    }
}
