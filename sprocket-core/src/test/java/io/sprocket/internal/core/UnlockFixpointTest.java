package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.testing.TestProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Servicing waiting operations can make more of them ready: the socket serves such a chain to its end before
 * the call that started it returns, however long it is (it once stopped after four rounds and left the rest
 * waiting for some later, unrelated call).
 */
class UnlockFixpointTest {

    /** A protocol whose contexts hand a token along: a context that receives makes the next one ready. */
    static final class Relay extends TestProtocol {
        final List<Ctx> contexts = new ArrayList<>();

        Relay() {
            super(Protocol.PAIR0);
        }

        @Override
        public boolean trySend(Message message) { // the default context starts the relay
            contexts.get(0).ready(message);
            return true;
        }

        @Override
        public ProtocolContext newContext() {
            Ctx c = new Ctx(contexts.size());
            contexts.add(c);
            return c;
        }

        final class Ctx implements ProtocolContext {
            final int index;
            Message token;

            Ctx(int index) {
                this.index = index;
            }

            void ready(Message m) {
                token = m;
                socket.receiveStateChanged(this);
            }

            @Override
            public boolean trySend(Message message) {
                return false;
            }

            @Override
            public Message tryReceive() {
                Message m = token;
                if (m != null) {
                    token = null;
                    if (index + 1 < contexts.size()) {
                        contexts.get(index + 1).ready(m); // serviced in the next round
                    }
                }
                return m;
            }
        }
    }

    @Test
    void aChainOfWakesIsServedBeforeTheCallReturns() {
        try (RealSocket s = RealSocket.open(ProtocolFactory.of(Protocol.PAIR0, raw -> new Relay(), Set.of()), false)) {
            List<CompletableFuture<Message>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Context c = s.openContext();
                waiting.add(c.receiveAsync());
            }
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            s.send(Message.of("token"));
            // completions run on this thread before send returns: no waiting, nothing left for a later call
            for (int i = 0; i < waiting.size(); i++) {
                assertThat(waiting.get(i)).as("receive on context %d", i).isCompletedWithValueMatching(
                        m -> m.bodyString().equals("token"));
            }
        }
    }
}
