package io.sprocket;

/**
 * Whether a listener expects the PROXY protocol header (HAProxy's PROXY protocol, versions 1 and 2) at the start of
 * each accepted connection, the value of {@link SocketOption#PROXY_PROTOCOL}. A load balancer that terminates the
 * client's TCP connection (HAProxy {@code send-proxy}/{@code send-proxy-v2}, nginx {@code stream} with
 * {@code proxy_protocol on}, AWS NLB, ...) sends it, in clear, before anything else (before TLS on tls+tcp and
 * wss, before the HTTP upgrade on ws), so that the listener knows the real client's address.
 */
public enum ProxyProtocol {
    /** No header: the connection starts with the transport's own bytes (the default). */
    OFF,
    /** Version 1 only: a text line such as {@code PROXY TCP4 192.0.2.1 192.0.2.2 51234 5555\r\n}. */
    V1,
    /** Version 2 only: the binary header (it may carry TLVs, e.g. HAProxy's TLS facts; they are skipped). */
    V2,
    /** Either version, told apart by the first bytes. */
    ANY
}
