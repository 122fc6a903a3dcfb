/** In-process transport: sockets in one JVM exchange message objects over Netty local channels. */
package io.sprocket.transport.inproc;
