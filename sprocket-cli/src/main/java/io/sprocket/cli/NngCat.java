package io.sprocket.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The nngcat-compatible command: {@code sprocket <proto> <addr>... [<fmt>] [<opts>...] [<src>]} takes the same
 * options as nngcat 1.5.2, prints received messages in the same bytes and reports errors with the same texts
 * and exit status (0 on success, 1 on any error or after --help).
 */
public final class NngCat {
    private NngCat() {
    }

    /**
     * Runs the command with the given streams and returns the exit status (never calls {@link System#exit}).
     *
     * @param args the arguments after the program name
     * @param in   standard input, read by {@code --file -}
     * @param out  standard output: received messages and --verbose reports
     * @param err  standard error: error messages
     * @return the exit status: 0 on success, 1 on any error or after --help (as nngcat)
     */
    public static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
        Charset charset = argumentCharset();
        try {
            CatOptions options = new CommandLine(in, charset).parse(args);
            quietLogging(options.verbose());
            return new CatRunner(options, new CatOutput(out, charset), new PrintStream(err, true, charset)).run();
        } catch (CliExit e) {
            String text = e.toStdout() ? e.getMessage() : e.getMessage() + "\n";
            write(e.toStdout() ? out : err, text, charset);
            return e.status();
        } catch (RuntimeException e) {
            write(err, "Internal error: " + e + "\n", charset);
            return 1;
        }
    }

    /**
     * nngcat prints nothing but its own messages on stderr, so library logging is limited to errors (warnings
     * with --verbose), except the warning that a connection was closed for lack of memory (logger
     * {@code io.sprocket.memory}, at most once a minute), which says which limit to lower. Takes effect only
     * before the first logger exists, and never overrides levels given on the command line (e.g.
     * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} in SPROCKET_JAVA_OPTS).
     */
    private static void quietLogging(boolean verbose) {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(key) == null) {
            System.setProperty(key, verbose ? "warn" : "error");
        }
        // the logger of the library's out-of-memory warning (internal MemoryWarning.LOGGER; CatOutOfMemoryTest)
        String memory = "org.slf4j.simpleLogger.log.io.sprocket.memory";
        if (System.getProperty(memory) == null) {
            System.setProperty(memory, "warn");
        }
    }

    /** The charset the JVM decoded the command line with, so that {@code --data} gets the bytes typed. */
    static Charset argumentCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static void write(OutputStream stream, String text, Charset charset) {
        try {
            stream.write(text.getBytes(charset));
            stream.flush();
        } catch (IOException e) {
            // Nowhere left to report it.
        }
    }
}
