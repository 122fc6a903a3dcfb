/**
 * The seam through which the public API reaches its implementation ({@link io.sprocket.internal.boot.Bootstrap},
 * a {@link java.util.ServiceLoader} service). Depends on {@code java.base} only. Not exported.
 */
package io.sprocket.internal.boot;
