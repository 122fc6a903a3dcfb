package io.sprocket.transport.tls;

import io.sprocket.TlsConfig;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link TlsMaterial} of each {@link TlsConfig} in use, read when the config is built and kept as long as
 * the config is reachable. {@link TlsConfig} is plain data: this is where its files live once read. Keys are the
 * config objects themselves (TlsConfig has identity equality), held weakly; looked up at bind and connect only,
 * never per message.
 */
public final class TlsMaterials {
    private static final Map<TlsConfig, TlsMaterial> BY_CONFIG = Collections.synchronizedMap(new WeakHashMap<>());

    private TlsMaterials() {
    }

    /**
     * Reads the files of {@code config} now and keeps what was read for it.
     *
     * @throws io.sprocket.SprocketException naming the file that cannot be read or is not valid
     */
    public static TlsMaterial load(TlsConfig config) {
        TlsMaterial m = TlsMaterial.load(config.certificateFile().orElse(null), config.keyFile().orElse(null),
                config.caFile().orElse(null));
        BY_CONFIG.put(config, m);
        return m;
    }

    /** What was read for {@code config} (read now if it never was). */
    public static TlsMaterial of(TlsConfig config) {
        TlsMaterial m = BY_CONFIG.get(config);
        return m != null ? m : load(config);
    }
}
