/**
 * Protocol implementations, one package per family, and the parts two families share.
 * Not exported by module io.sprocket.
 */
package io.sprocket.protocol;
