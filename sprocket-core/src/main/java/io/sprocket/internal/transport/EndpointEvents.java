package io.sprocket.internal.transport;

/**
 * Where a transport reports what happens to an endpoint's connections before they reach the core's pipe handler
 * (a connection refused by a listener limit, a ws upgrade refused): the endpoint counts it in its statistics and
 * logs it (rate-limited). Thread-safe; never called per message.
 */
public interface EndpointEvents {
    /** Counts nothing (tests and transports used without an endpoint). */
    EndpointEvents NONE = new EndpointEvents() {
        @Override
        public void failed(ConnectionFailure failure, String peer, String detail) {
        }
    };

    /**
     * A connection failed or was refused.
     *
     * @param failure why, as counted
     * @param peer the remote address, for the log
     * @param detail what happened, for the log
     */
    void failed(ConnectionFailure failure, String peer, String detail);

    /**
     * A ws listener refused an upgrade request with an HTTP error status: counted as
     * {@link ConnectionFailure#HTTP_REFUSED} and by status.
     *
     * @param status the HTTP status answered
     * @param peer the remote address
     * @param detail the reason answered
     */
    default void httpRefused(int status, String peer, String detail) {
        failed(ConnectionFailure.HTTP_REFUSED, peer, status + " " + detail);
    }
}
