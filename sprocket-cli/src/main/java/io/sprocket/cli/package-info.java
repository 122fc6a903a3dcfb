/**
 * The {@code sprocket} command: a drop-in for {@code nngcat} 1.5.2 built on Sprocket.
 *
 * <p>{@link io.sprocket.cli.Main} dispatches {@code perf} to the performance tool, {@code device},
 * {@code gateway} and {@code demo} to their commands ({@code Gateway}: a site, the browser client and SP routes
 * on one port; {@code Demo}: Java services and a page behind a gateway), and everything else to
 * {@link io.sprocket.cli.NngCat}. The parts, in the order a command goes through them: {@code OptionParser}
 * (a port of NNG's {@code nng_opts_parse}: prefixes, {@code --opt=value}, {@code -Xvalue}), {@code CommandLine}
 * (nngcat's option semantics and checks, with its messages), {@code CatRunner} (socket, endpoints and the
 * protocol's send/receive loop), {@code Format} (the byte-exact output formats) and {@code ErrorText}
 * (nng_strerror texts). Where nngcat 1.5.2 has bugs ({@code --pair} ignored, receive-timeout races with
 * {@code --interval}) the documented behaviour is implemented instead; see each class.
 */
package io.sprocket.cli;
