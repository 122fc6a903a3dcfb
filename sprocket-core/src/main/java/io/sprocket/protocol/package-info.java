/** Protocol implementations, one package per family, and the parts two families share. */
package io.sprocket.protocol;
