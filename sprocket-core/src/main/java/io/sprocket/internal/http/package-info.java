/**
 * Static-file rules shared by {@code HttpHandler.resources} (in {@code io.sprocket.ws}) and the ws transport's
 * {@code ws:http-root}: safe path segments, content types, class path resources. Depends on {@code java.base}
 * only. Not exported.
 */
package io.sprocket.internal.http;
