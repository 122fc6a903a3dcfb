package io.sprocket.internal.core;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;

/** Whether a peer's protocol, from its handshake, may talk to ours, and the error that says why not. */
final class PeerCheck {
    private PeerCheck() {
    }

    /** Null if a peer speaking {@code peerId} is a valid peer for {@code self}, else the PROTOCOL_ERROR to close with. */
    static SprocketException mismatch(Protocol self, int peerId, String remote) {
        if (peerId == self.peerId()) {
            return null;
        }
        return new SprocketException(ErrorCode.PROTOCOL_ERROR, "peer " + remote + " speaks "
                + Protocol.describe(peerId) + ", which is not a valid peer for " + Protocol.describe(self.id())
                + "; expected " + Protocol.describe(self.peerId()));
    }
}
