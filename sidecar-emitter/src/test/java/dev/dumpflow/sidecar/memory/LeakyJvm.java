package dev.dumpflow.sidecar.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.UUID;

/** A running {@link LeakyApp} child JVM, started with the test's own {@code java}. */
public final class LeakyJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String marker;

    private LeakyJvm(Process process, String marker) {
        this.process = process;
        this.marker = marker;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        this.in = new PrintWriter(process.getOutputStream(), true);
    }

    /** Starts one and waits until it is ready. */
    public static LeakyJvm start() throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String marker = "leaky-" + UUID.randomUUID();
        Process p =
                new ProcessBuilder(
                                java,
                                // First, so that it survives the command line's shortening.
                                "-Ddumpflow.marker=" + marker,
                                "-Xms8m",
                                "-Xmx768m",
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LeakyApp.class.getName())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        LeakyJvm jvm = new LeakyJvm(p, marker);
        String first = jvm.out.readLine();
        if (!"ready".equals(first)) {
            p.destroyForcibly();
            throw new IOException("the leaky JVM did not start: " + first);
        }
        return jvm;
    }

    /** The pid. */
    public long pid() {
        return process.pid();
    }

    /** A string only this JVM's command line holds, for {@code DUMPFLOW_PROCESS_MATCH}. */
    public String marker() {
        return marker;
    }

    /** Leaks until the resident set is at least this many MiB; returns the RSS reached. */
    public long growTo(long mib) throws IOException {
        in.println("rss " + mib);
        String answer = out.readLine();
        if (answer == null || !answer.startsWith("rss ")) {
            throw new IOException("unexpected answer: " + answer);
        }
        return Long.parseLong(answer.substring(4));
    }

    /** Drops the leak; returns the RSS after a GC. */
    public long free() throws IOException {
        in.println("free");
        return Long.parseLong(out.readLine().substring(4));
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
