package io.sprocket.cli;

/** URL text as NNG reports it for a started listener. */
final class Urls {
    private Urls() {
    }

    /**
     * The URL a listener reports once bound: for tcp URLs NNG drops a {@code *} host and replaces port 0 with
     * the port it got ({@code tcp://*:0} becomes {@code tcp://:41234}). Other URLs are returned unchanged.
     */
    static String bound(String url, int port) {
        String scheme = ErrorText.scheme(url);
        if (!scheme.startsWith("tcp") || port <= 0) {
            return url;
        }
        String rest = url.substring(scheme.length() + 3);
        int slash = rest.indexOf('/');
        String path = slash < 0 ? "" : rest.substring(slash);
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.endsWith("]")) {
            return url;
        }
        String host = hostPort.substring(0, colon);
        String portText = hostPort.substring(colon + 1);
        if (host.equals("*")) {
            host = "";
        }
        if (portText.equals("0")) {
            portText = Integer.toString(port);
        }
        return url.substring(0, scheme.length() + 3) + host + ":" + portText + path;
    }
}
