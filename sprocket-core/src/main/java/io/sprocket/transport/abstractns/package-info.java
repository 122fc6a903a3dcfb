/**
 * SP over Linux abstract-namespace Unix sockets ({@code abstract://NAME}, NNG 1.5's transport of that name): the
 * ipc framing on a socket whose name lives in the kernel, not in the file system (docs/wire.md, "Stream
 * transports"). Needs Netty's native epoll transport. Not exported by module io.sprocket.
 */
package io.sprocket.transport.abstractns;
