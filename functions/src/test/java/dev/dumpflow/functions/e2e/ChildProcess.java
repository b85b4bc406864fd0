package dev.dumpflow.functions.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the end-to-end test starts (the sidecar, a JVM to dump): its output is kept for the
 * failure report, it is ready once it prints a given line, and it is stopped by its own pid.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> output = new ArrayList<>();

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-output").start(this::drain);
    }

    /**
     * Starts {@code command} with exactly {@code environment} (nothing inherited, so that a K_SINK
     * or a dump directory of the machine cannot leak in) and waits for a line containing {@code
     * ready}.
     */
    public static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, String ready)
            throws IOException, InterruptedException {
        return start(name, command, environment, ready, Duration.ofSeconds(30));
    }

    /** As {@link #start(String, List, Map, String)}, waiting up to {@code timeout} for ready. */
    public static ChildProcess start(
            String name,
            List<String> command,
            Map<String, String> environment,
            String ready,
            Duration timeout)
            throws IOException, InterruptedException {
        ChildProcess child = launch(name, command, environment);
        try {
            child.awaitOutput(ready, timeout);
        } catch (IllegalStateException notReady) {
            child.kill();
            throw notReady;
        }
        return child;
    }

    /**
     * Starts {@code command} with exactly {@code environment} and returns at once, for a process
     * whose readiness is seen some other way (a port that answers).
     */
    public static ChildProcess launch(
            String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start());
    }

    /** The {@code java} of the JDK running the tests. */
    public static Path java() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow());
    }

    /** A tool of the JDK running the tests, for example {@code jcmd}. */
    public static Path jdkTool(String tool) {
        return java().resolveSibling(tool);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the output holds a line containing {@code text}; fails with the output. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        awaitOutput(0, text, timeout);
    }

    /**
     * Waits until a line printed after the first {@code skip} lines contains {@code text}, for a
     * line that recurs (see {@link #lineCount()}); fails with the output.
     */
    public void awaitOutput(int skip, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!printed(skip, text)) {
            if (!process.isAlive() && !printed(skip, text)) {
                throw new IllegalStateException(
                        name
                                + " ended (exit "
                                + process.exitValue()
                                + ") before printing '"
                                + text
                                + "':\n"
                                + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name
                                + " did not print '"
                                + text
                                + "' within "
                                + timeout
                                + ":\n"
                                + output());
            }
            Thread.sleep(20);
        }
    }

    /** Everything the process printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** How many lines the process printed so far. */
    public int lineCount() {
        synchronized (output) {
            return output.size();
        }
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Kills this process (and only it, by its pid) with SIGKILL, as a crash would, and reaps it.
     */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean printed(int skip, String text) {
        synchronized (output) {
            return output.stream().skip(skip).anyMatch(line -> line.contains(text));
        }
    }

    private void drain() {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException gone) {
            // The process ended: its output is complete.
        }
    }

    /** Stops this process (and only it, by its pid): SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle handle = process.toHandle();
        handle.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            handle.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
