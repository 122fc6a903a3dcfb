/**
 * Request/reply: REQ sends a request with an id and waits for the matching reply; REP answers each request on
 * the pipe it came from, keeping the backtrace that devices build up. See docs/wire.md, "Protocol headers".
 * Not exported by module io.sprocket.
 */
package io.sprocket.protocol.reqrep;
