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
