package dev.dumpflow.analysis.redact;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the redactor over a dump file on one thread, side by side with a plain read of the same
 * file, and prints MB/s (MB = 10^6 bytes) per mode and round. Not a test: run it by hand on a large
 * plain HPROF in the page cache (docs/performance.md gives the command).
 */
public final class RedactionThroughput {

    private static final int BUFFER = 256 * 1024;

    private RedactionThroughput() {}

    public static void main(String[] args) throws Exception {
        Path dump = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long bytes = Files.size(dump);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names =
                args.length > 2
                        ? args[2].split(",")
                        : new String[] {"plain read", "none", "strings", "primitives"};
        for (int round = 1; round <= rounds; round++) {
            for (String name : names) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long read = drain(dump, name);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                if (read != bytes) {
                    throw new IllegalStateException(name + " read " + read + " of " + bytes);
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d %-11s %,d bytes in %.3f s = %5.0f MB/s wall, %5.0f MB/s per"
                                + " CPU-second%n",
                        round,
                        name,
                        bytes,
                        seconds,
                        bytes / seconds / 1e6,
                        bytes / cpu / 1e6);
            }
        }
    }

    private static long drain(Path dump, String name) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try (InputStream file = Files.newInputStream(dump);
                InputStream in =
                        name.equals("plain read")
                                ? file
                                : RedactingInputStream.of(file, RedactionMode.fromWire(name))) {
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }
}
