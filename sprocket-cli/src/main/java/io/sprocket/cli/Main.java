package io.sprocket.cli;

import io.sprocket.cli.perf.PerfMain;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Arrays;

/**
 * Entry point of the {@code sprocket} command: {@code sprocket perf ...} runs the performance tool, anything
 * else is the nngcat-compatible command ({@link NngCat}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Library chatter would mix with nngcat's error output; -Dorg.slf4j.simpleLogger.defaultLogLevel=... wins.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status;
        if (args.length > 0 && args[0].equals("perf")) {
            status = PerfMain.run(Arrays.copyOfRange(args, 1, args.length));
        } else {
            status = NngCat.run(args, System.in, new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err));
        }
        System.exit(status);
    }
}
