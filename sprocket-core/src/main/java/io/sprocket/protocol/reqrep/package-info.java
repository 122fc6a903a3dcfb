/**
 * Request/reply: REQ sends a request with an id and waits for the matching reply; REP answers each request on
 * the pipe it came from, keeping the backtrace that devices build up. See SP-WIRE.md section 7.1.
 */
package io.sprocket.protocol.reqrep;
