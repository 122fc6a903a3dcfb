package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpListTest {

    private static AsyncOp<Void> op() {
        return new AsyncOp<>(null, null, Message.of("x"), false);
    }

    private static List<AsyncOp<?>> items(OpList list) {
        List<AsyncOp<?>> out = new ArrayList<>();
        for (AsyncOp<?> op = list.head(); op != null; op = list.next(op)) {
            out.add(op);
        }
        return out;
    }

    @Test
    void keepsOrderAndRemovesAnywhereInConstantTime() {
        OpList list = new OpList(OpList.SOCKET);
        AsyncOp<Void> a = op();
        AsyncOp<Void> b = op();
        AsyncOp<Void> c = op();
        AsyncOp<Void> d = op();
        assertThat(list.isEmpty()).isTrue();
        list.add(a);
        list.add(b);
        list.add(c);
        list.add(d);
        assertThat(items(list)).containsExactly(a, b, c, d);
        list.remove(b);             // middle
        assertThat(items(list)).containsExactly(a, c, d);
        list.remove(a);             // head
        list.remove(d);             // tail
        assertThat(items(list)).containsExactly(c);
        list.add(a);                // re-added after removal
        assertThat(items(list)).containsExactly(c, a);
        list.remove(c);
        list.remove(a);
        assertThat(list.isEmpty()).isTrue();
        assertThat(list.head()).isNull();
    }

    @Test
    void anOperationIsInASocketListAndAContextListAtOnce() {
        OpList socket = new OpList(OpList.SOCKET);
        OpList ctx1 = new OpList(OpList.CONTEXT);
        OpList ctx2 = new OpList(OpList.CONTEXT);
        AsyncOp<Void> a = op();
        AsyncOp<Void> b = op();
        AsyncOp<Void> c = op();
        for (AsyncOp<Void> o : List.of(a, b, c)) {
            socket.add(o);
        }
        ctx1.add(c);
        ctx1.add(a);
        ctx2.add(b);
        assertThat(items(socket)).containsExactly(a, b, c);
        assertThat(items(ctx1)).containsExactly(c, a);
        ctx1.remove(c);
        socket.remove(c);
        assertThat(items(socket)).containsExactly(a, b);
        assertThat(items(ctx1)).containsExactly(a);
        assertThat(items(ctx2)).containsExactly(b);
    }
}
