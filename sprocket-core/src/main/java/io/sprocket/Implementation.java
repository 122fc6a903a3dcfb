package io.sprocket;

import io.sprocket.internal.boot.Bootstrap;
import java.util.Iterator;
import java.util.ServiceLoader;

/** Holds the implementation behind the API, found once with {@link ServiceLoader} (see {@link Bootstrap}). */
final class Implementation {
    /** The one implementation. */
    static final Bootstrap<Socket, Protocol, TlsConfig> BOOT = load();

    private Implementation() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // ServiceLoader knows no type arguments
    private static Bootstrap<Socket, Protocol, TlsConfig> load() {
        Iterator<Bootstrap> found = ServiceLoader.load(Bootstrap.class, Implementation.class.getClassLoader())
                .iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("no Sprocket implementation found: the sprocket-core jar is incomplete"
                    + " (META-INF/services/" + Bootstrap.class.getName() + " or module-info's provides is missing)");
        }
        return found.next();
    }
}
