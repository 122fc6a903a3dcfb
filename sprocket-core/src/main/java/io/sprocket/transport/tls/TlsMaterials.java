package io.sprocket.transport.tls;

import io.sprocket.TlsConfig;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TlsMaterial} of each {@link TlsConfig} in use, read when the config is built and kept as long as
 * the config object is reachable. {@link TlsConfig} is plain data: this is where its files live once read.
 * Keys are the config objects themselves, by identity (equal configs are read and reloaded each on its own, as
 * {@link TlsConfig#equals} says), held weakly; looked up without a lock at bind, connect and accept, never per
 * message.
 */
public final class TlsMaterials {
    private static final ReferenceQueue<TlsConfig> COLLECTED = new ReferenceQueue<>();
    private static final ConcurrentHashMap<Key, TlsMaterial> BY_CONFIG = new ConcurrentHashMap<>();

    private TlsMaterials() {
    }

    /**
     * Reads the files of {@code config} now and keeps what was read for it.
     *
     * @throws io.sprocket.SprocketException naming the file that cannot be read or is not valid
     */
    public static TlsMaterial load(TlsConfig config) {
        TlsMaterial m = read(config);
        expunge();
        BY_CONFIG.put(new Key(config, COLLECTED), m);
        return m;
    }

    /** What was read for {@code config} (read now if it never was). */
    public static TlsMaterial of(TlsConfig config) {
        expunge();
        TlsMaterial m = BY_CONFIG.get(new Key(config, null));
        if (m != null) {
            return m;
        }
        TlsMaterial read = read(config);
        TlsMaterial raced = BY_CONFIG.putIfAbsent(new Key(config, COLLECTED), read);
        return raced != null ? raced : read; // two racing first reads: the first one kept wins
    }

    /** How many configs have material kept (after dropping those of collected configs); for tests. */
    static int size() {
        expunge();
        return BY_CONFIG.size();
    }

    private static TlsMaterial read(TlsConfig config) {
        return TlsMaterial.load(config.certificateFile().orElse(null), config.keyFile().orElse(null),
                config.caFile().orElse(null));
    }

    /** Drops the entries of collected configs. */
    private static void expunge() {
        for (Object k; (k = COLLECTED.poll()) != null; ) {
            BY_CONFIG.remove(k);
        }
    }

    /** A weak, identity-comparing key; once its config is collected it equals only itself. */
    private static final class Key extends WeakReference<TlsConfig> {
        private final int hash;

        Key(TlsConfig config, ReferenceQueue<TlsConfig> queue) {
            super(config, queue);
            this.hash = System.identityHashCode(config);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            TlsConfig c = get();
            return c != null && o instanceof Key k && k.hash == hash && k.get() == c;
        }
    }
}
