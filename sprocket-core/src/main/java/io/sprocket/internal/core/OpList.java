package io.sprocket.internal.core;

/**
 * A FIFO of waiting operations with O(1) removal, linked through the operations themselves (no node objects).
 * An operation is in at most two lists at once, its socket's list of its kind and its context's; each list
 * reaches its pair of link fields through one of the two {@link Links}. Guarded by the socket lock.
 */
final class OpList {
    /** Access to one pair of an operation's link fields. */
    abstract static class Links {
        abstract AsyncOp<?> prev(AsyncOp<?> op);

        abstract AsyncOp<?> next(AsyncOp<?> op);

        abstract void setPrev(AsyncOp<?> op, AsyncOp<?> prev);

        abstract void setNext(AsyncOp<?> op, AsyncOp<?> next);
    }

    /** The links of the socket's list of sends, or of receives. */
    static final Links SOCKET = new Links() {
        @Override
        AsyncOp<?> prev(AsyncOp<?> op) {
            return op.prev;
        }

        @Override
        AsyncOp<?> next(AsyncOp<?> op) {
            return op.next;
        }

        @Override
        void setPrev(AsyncOp<?> op, AsyncOp<?> prev) {
            op.prev = prev;
        }

        @Override
        void setNext(AsyncOp<?> op, AsyncOp<?> next) {
            op.next = next;
        }
    };

    /** The links of a context's list of sends, or of receives. */
    static final Links CONTEXT = new Links() {
        @Override
        AsyncOp<?> prev(AsyncOp<?> op) {
            return op.ctxPrev;
        }

        @Override
        AsyncOp<?> next(AsyncOp<?> op) {
            return op.ctxNext;
        }

        @Override
        void setPrev(AsyncOp<?> op, AsyncOp<?> prev) {
            op.ctxPrev = prev;
        }

        @Override
        void setNext(AsyncOp<?> op, AsyncOp<?> next) {
            op.ctxNext = next;
        }
    };

    private final Links links;
    private AsyncOp<?> head;
    private AsyncOp<?> tail;

    OpList(Links links) {
        this.links = links;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** The oldest operation, or null. */
    AsyncOp<?> head() {
        return head;
    }

    /** The operation after {@code op} in this list, or null. */
    AsyncOp<?> next(AsyncOp<?> op) {
        return links.next(op);
    }

    /** Appends {@code op}, which is in no list of this kind. */
    void add(AsyncOp<?> op) {
        links.setPrev(op, tail);
        links.setNext(op, null);
        if (tail == null) {
            head = op;
        } else {
            links.setNext(tail, op);
        }
        tail = op;
    }

    /** Unlinks {@code op}, which is in this list. */
    void remove(AsyncOp<?> op) {
        AsyncOp<?> p = links.prev(op);
        AsyncOp<?> n = links.next(op);
        if (p == null) {
            head = n;
        } else {
            links.setNext(p, n);
        }
        if (n == null) {
            tail = p;
        } else {
            links.setPrev(n, p);
        }
        links.setPrev(op, null);
        links.setNext(op, null);
    }
}
