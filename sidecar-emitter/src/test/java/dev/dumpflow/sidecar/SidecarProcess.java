package dev.dumpflow.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sidecar as its own JVM, as the container runs it, with its output in a file. */
final class SidecarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SidecarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static SidecarProcess start(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElseThrow(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return new SidecarProcess(builder.start(), log);
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until the output matches the pattern the given number of times; returns the output. */
    String await(Pattern pattern, int times, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = output();
            Matcher m = pattern.matcher(out);
            int found = 0;
            while (m.find()) {
                found++;
            }
            if (found >= times) {
                return out;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not " + times + " times /" + pattern + "/ in:\n" + output());
    }

    /** Sends SIGTERM, as the kubelet does, and waits for the exit. */
    int terminate(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running " + timeout + " after SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
