/**
 * In-process transport: sockets in one JVM exchange message objects over Netty local channels.
 * Not exported by module io.sprocket.
 */
package io.sprocket.transport.inproc;
