package dev.dumpflow.sidecar.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program that leaks on command, run as a real child JVM by the tests. Reads lines from stdin:
 * {@code rss <MiB>} grows its heap in 4 MiB steps until its own resident set reaches that many MiB
 * and answers {@code rss <MiB now>}; {@code free} drops everything; end of input exits.
 */
public final class LeakyApp {

    private static final List<byte[]> LEAK = new ArrayList<>();

    private LeakyApp() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "rss" -> {
                    long target = Long.parseLong(words[1]);
                    while (rssMiB() < target) {
                        byte[] chunk = new byte[4 << 20];
                        // Touch every page so that the chunk is resident, not just reserved.
                        for (int i = 0; i < chunk.length; i += 4096) {
                            chunk[i] = 1;
                        }
                        LEAK.add(chunk);
                    }
                    System.out.println("rss " + rssMiB());
                }
                case "free" -> {
                    LEAK.clear();
                    System.gc();
                    System.out.println("rss " + rssMiB());
                }
                default -> System.out.println("unknown " + line);
            }
            System.out.flush();
        }
    }

    private static long rssMiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.substring(6).replace("kB", "").strip()) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
