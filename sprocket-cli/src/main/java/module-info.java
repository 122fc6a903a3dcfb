/**
 * The {@code sprocket} command line: an nngcat drop-in, a device, a WebSocket gateway, a demo and {@code perf}.
 * {@code bin/sprocket} runs the shaded jar on the class path (this descriptor is left out of it); on the module
 * path it runs as {@code java -p <jars> --add-modules io.netty.transport.epoll.linux.x86_64 -m
 * io.sprocket.cli/io.sprocket.cli.Main}. Exports nothing.
 */
module io.sprocket.cli {
    requires io.sprocket;
    requires org.slf4j;
    requires java.management; // Demo: ManagementFactory

    // resources served with HttpHandler.resources(ClassLoader, folder): a class loader finds a named module's
    // resources only in packages opened to everyone
    opens io.sprocket.cli.demo;
    opens io.sprocket.cli.js;
    opens io.sprocket.cli.js.protocols;
}
