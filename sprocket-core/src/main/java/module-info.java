/**
 * Sprocket: the Scalability Protocols of nanomsg and NNG (PAIR, REQ/REP, PUB/SUB, PUSH/PULL, SURVEYOR/RESPONDENT,
 * BUS) over tcp, ipc, abstract, inproc, tls+tcp, ws and wss, wire-compatible with NNG and nanomsg.
 *
 * <p>Exported: {@code io.sprocket} (sockets, messages, options) and {@code io.sprocket.ws} (WebSocket options,
 * proxy and HTTP handler). Everything else (the socket core, the protocol state machines and their SPI, the
 * transports) is internal and may change between releases. The built-in transports and protocols are found with
 * {@link java.util.ServiceLoader}; the same providers are listed in {@code META-INF/services} for the class path.
 *
 * <p>On the module path, Netty's native epoll transport ({@code io.netty.transport.epoll.linux.x86_64}) is
 * required by no module: add it with {@code --add-modules io.netty.transport.epoll.linux.x86_64}, or Sprocket
 * runs on NIO.
 */
module io.sprocket {
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.haproxy;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires org.slf4j;

    exports io.sprocket;
    exports io.sprocket.ws;

    uses io.sprocket.internal.boot.Bootstrap;
    uses io.sprocket.internal.transport.Transport;
    uses io.sprocket.spi.ProtocolFamily;

    provides io.sprocket.internal.boot.Bootstrap with io.sprocket.internal.core.CoreBootstrap;
    provides io.sprocket.internal.transport.Transport with
            io.sprocket.transport.tcp.TcpTransport,
            io.sprocket.transport.tls.TlsTransport,
            io.sprocket.transport.ipc.IpcTransport,
            io.sprocket.transport.abstractns.AbstractNamespaceTransport,
            io.sprocket.transport.inproc.InprocTransport,
            io.sprocket.transport.ws.WsTransport;
    provides io.sprocket.spi.ProtocolFamily with
            io.sprocket.protocol.pair.PairFamily,
            io.sprocket.protocol.reqrep.ReqRepFamily,
            io.sprocket.protocol.pubsub.PubSubFamily,
            io.sprocket.protocol.pipeline.PipelineFamily,
            io.sprocket.protocol.survey.SurveyFamily,
            io.sprocket.protocol.bus.BusFamily;
}
