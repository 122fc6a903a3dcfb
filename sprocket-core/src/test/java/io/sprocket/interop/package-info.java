/**
 * Interop tests against the real reference peers, NNG 1.5.2's {@code nngcat} (Debian nng-utils) and nanomsg
 * 1.1.5's {@code nanocat} (Debian nanomsg-utils), run as child processes through
 * {@link io.sprocket.testkit.PeerProcess}. A missing peer fails the test when {@code CI=true} and skips it
 * otherwise.
 *
 * Every matrix runs over tcp, ipc, ws and tls+tcp ({@code InteropSupport.Transport}), except tls+tcp with nanocat
 * (no TLS): a new transport is one more enum constant and one more {@code InteropSupport.Address} case.
 *
 * <ul>
 *   <li>{@code PeerMatrixTest}: every implemented protocol pair (REQ/REP both ways round, PUSH/PULL both ways
 *   round, PAIR0, PAIR1 with nngcat only) x transports x who listens x both peers. What Java sends is checked in the
 *   peer's {@code -Q} output; what the peer sends ({@code --file}) is checked byte for byte in Java.</li>
 *   <li>{@code PeerStreamTest}: 50 requests on one connection, 512 KiB messages both ways, redialing a
 *   restarted peer.</li>
 *   <li>{@code PeerPubSubTest}: Java PUB to {@code --sub --subscribe} (non-matching messages never printed) and
 *   peer PUB to Java SUB, both peers x tcp/ipc x who listens; two nanocat publishers filtered by one Java SUB.</li>
 *   <li>{@code PeerSurveyTest}: Java SURVEYOR / peer RESPONDENT and the reverse, same matrix; one Java surveyor
 *   with both peers answering; two Java respondents answering one peer surveyor.</li>
 *   <li>{@code PeerBusTest}: Java BUS and {@code nanocat --bus} both ways (nngcat 1.5.2 has no bus), and one Java
 *   bus with two nanocat buses (fan-out, no forwarding).</li>
 *   <li>{@code PeerTlsTest}: client certificates: nngcat with the test CA's client certificate dials a Java
 *   listener that requires one; one from another CA makes its dial fail.</li>
 *   <li>{@code PlainWsTest}: WebSocket clients and servers that know nothing of SP: the JDK's
 *   {@code java.net.http.WebSocket} and node's npm package {@code ws} ({@code NodeWs}, installed into
 *   {@code target/node-ws} on first use; no node, npm or registry fails on CI, skips elsewhere) against Java ws
 *   listeners (REP with a request id in front, PAIR0; refusals, text frames, pings between fragments, close,
 *   the receive limit) and a node echo server that Java's dialers connect to.</li>
 * </ul>
 *
 * Addresses ({@code InteropSupport.Address}): ws URLs have the path {@code /sp} for nngcat (an NNG 1.x dialer sends
 * an empty request-URI without one) and none for nanocat (which cannot listen on a path, and dials {@code /});
 * both sides use {@code 127.0.0.1} (an NNG ws listener compares the Host header with its own host text). TLS
 * listeners bind 127.0.0.1 and dialers name {@code localhost} (NNG 1.5 matches certificate names, not IPs); peers
 * get {@code --cert/--key} to listen and {@code --cacert} to dial ({@code Peer.endpoint}), Java the test CA's
 * certificate and CA ({@code InteropSupport.tls()}, from {@code io.sprocket.testkit.TestCerts}).
 *
 * Messages sent before the other side is connected are lost for PUB, SURVEYOR and BUS: Java repeats while waiting
 * on the peer's output ({@code InteropSupport.repeatUntilPrinted}), peers repeat with {@code --interval} (nngcat:
 * whole seconds, nanocat: 0.2 s). nngcat's "Cannot set recv timeout" comes from {@code sendrecv} computing
 * {@code interval - elapsed} after a message that arrived at the end of an interval (negative: EINVAL); a peer
 * surveyor is safe because answers come right after the survey. A Java respondent answers the newest queued survey
 * (a peer surveyor drops answers to its older ones).
 *
 * Peer quirks the tests rely on or avoid (verified here): {@code -Q} prints one C-escaped message per line, the
 * same in both peers except a tab ({@code \t} vs {@code \x09}); PUSH peers reject {@code -Q}; nngcat and
 * nanocat PAIR peers with {@code --data}/{@code --file} send once and stay running; nanocat REP has no
 * {@code --count} and stays running; nanocat PUSH exits right after sending and drops what was not yet written,
 * so a large message from it never arrives whole (large peer-to-Java messages use REQ instead).
 *
 * An nngcat tls+tcp listener asks for no client certificate, even with {@code --cacert}.
 *
 * <p>Run: {@code mvn -pl sprocket-core test -Dtest='io.sprocket.interop.**,io.sprocket.wire.**'}.
 */
package io.sprocket.interop;
