package dev.dumpflow.functions.chaos;

import dev.dumpflow.functions.e2e.ChildProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Takes real heap dumps of small JVMs holding random bytes: each is written next to the watched
 * directory, hashed, then moved in at once, as a JVM's own dump would appear.
 */
final class DumpProducer {

    /** A dump moved into the watched directory, and the SHA-256 of its bytes. */
    record Produced(String fileName, String sha256, long bytes) {}

    private final Path watched;
    private final Path staging;

    DumpProducer(Path watched, Path staging) {
        this.watched = watched;
        this.staging = staging;
    }

    Produced produce() throws Exception {
        try (ChildProcess jvm =
                ChildProcess.start(
                        "dumped JVM",
                        List.of(
                                ChildProcess.java().toString(),
                                "-Xmx64m",
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                Path.of("target/test-classes").toString(),
                                RandomHeapJvm.class.getName()),
                        Map.of(),
                        "ready")) {
            String name = "java_pid" + jvm.pid() + ".hprof";
            Path written = staging.resolve(name);
            Process jcmd =
                    new ProcessBuilder(
                                    ChildProcess.jdkTool("jcmd").toString(),
                                    Long.toString(jvm.pid()),
                                    "GC.heap_dump",
                                    written.toString())
                            .redirectErrorStream(true)
                            .start();
            String said = new String(jcmd.getInputStream().readAllBytes());
            if (jcmd.waitFor() != 0 || !Files.isRegularFile(written)) {
                throw new IllegalStateException("jcmd GC.heap_dump failed: " + said);
            }
            // Hashed before it is moved in: from then on the pipeline may delete it any moment.
            String sha256 = sha256(written);
            long bytes = Files.size(written);
            Files.move(written, watched.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return new Produced(name, sha256, bytes);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
