/**
 * Wire-level tests with hand-driven raw connections ({@link io.sprocket.testkit.wire.RawSpClient} as a client,
 * {@link io.sprocket.testkit.wire.RawSpListener} for Java dialers), over tcp and over ipc (Unix domain sockets):
 *
 * <ul>
 *   <li>{@code WireExchangeTest}: the exact SP header every socket sends, listening and dialing, and byte-exact
 *   exchanges per protocol (REQ ids with the high bit and +1, REP echoing the backtrace, PAIR1 hop count 1,
 *   no header for PAIR0 and PUSH/PULL), stale replies, hop limits, one PAIR peer at a time.</li>
 *   <li>{@code BadInputTest}: broken input to a Java listener (magic, version, peer protocol, reserved bytes,
 *   impossible and oversized lengths, malformed REQ/PAIR1 headers, the ipc type byte, silence past the
 *   handshake timeout, EOF mid-stream). Each must close that connection promptly, having sent only our SP
 *   header, and the listener must keep serving a well-behaved client.</li>
 *   <li>{@code DialerBadInputTest}: broken listeners seen by a Java dialer: error codes of a synchronous dial,
 *   redials of a background dialer.</li>
 *   <li>{@code WireFanOutTest}: SURVEYOR ids (high bit, +1), stale/late/short answers, RESPONDENT echoing a
 *   multi-word backtrace to the pipe the survey came from, no header for PUB/SUB/BUS, BUS never forwarding.
 * </ul>
 *
 */
package io.sprocket.wire;
