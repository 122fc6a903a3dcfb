package io.sprocket.spi;

import java.util.List;

/**
 * The protocols one protocol package provides (e.g. REQ and REP), each as a {@link ProtocolFactory}. The socket
 * core finds the families and opens every socket through them.
 */
public interface ProtocolFamily {
    /** Its protocols' factories. */
    List<ProtocolFactory> protocols();
}
