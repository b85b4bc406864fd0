package dev.dumpflow.sidecar;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A JVM that fills its heap on command, run by the tests with {@code
 * -XX:+HeapDumpOnOutOfMemoryError} in a mount namespace of its own. Prints {@code ready}; on the
 * line {@code leak} fills the heap until the JVM writes its dump, then prints {@code dumped
 * <sha256> <size>} of that dump (read where only it can see it) and waits for the end of its input
 * to exit. With {@code -XX:+ExitOnOutOfMemoryError} it exits as soon as the dump is written, as a
 * crashing service does.
 */
public final class OomApp {

    private OomApp() {}

    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        System.out.flush();
        InputStream in = System.in;
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        if (!line.toString().equals("leak")) {
            return;
        }
        List<long[]> leak = new ArrayList<>();
        try {
            while (true) {
                leak.add(new long[1 << 16]);
            }
        } catch (OutOfMemoryError expected) {
            leak.clear();
        }
        Path dump = Path.of(args[0], "java_pid" + ProcessHandle.current().pid() + ".hprof");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream file = Files.newInputStream(dump)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = file.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        System.out.println(
                "dumped " + HexFormat.of().formatHex(sha.digest()) + " " + Files.size(dump));
        System.out.flush();
        while (in.read() >= 0) {
            // until the test closes our input
        }
    }
}
