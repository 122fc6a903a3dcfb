/**
 * Sprocket's Micrometer binding: {@link io.sprocket.micrometer.SprocketMetrics} exposes the statistics of Sprocket
 * sockets ({@code Socket.stats()}) to any Micrometer registry. Micrometer itself is the application's (a
 * {@code provided} dependency).
 */
module io.sprocket.micrometer {
    requires transitive io.sprocket;
    requires transitive micrometer.core;

    exports io.sprocket.micrometer;
}
