package io.sprocket.cli;

import java.nio.charset.StandardCharsets;

/** What a finished command printed and returned. */
record CatResult(int status, byte[] out, byte[] err) {
    String outText() {
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    String errText() {
        return new String(err, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "status " + status + ", stdout [" + outText() + "], stderr [" + errText() + "]";
    }
}
