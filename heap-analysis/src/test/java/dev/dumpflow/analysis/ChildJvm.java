package dev.dumpflow.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM started by a test with the current JDK's {@code java}, inspected with the same JDK's
 * {@code jcmd}. It is ready once it prints a line the test names, can be told lines on its standard
 * input, and stops when closed.
 */
public final class ChildJvm implements AutoCloseable {

    private static final long READY_SECONDS = 60;

    /** Put after the last line, when the output ends; compared by identity. */
    private static final String END = new String("end of output");

    private final Process process;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code java} with the arguments and waits for a stdout line containing {@code ready}.
     */
    public static ChildJvm start(List<String> javaArguments, String ready) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/java").toString());
        command.addAll(javaArguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildJvm jvm = new ChildJvm(process);
        // Read its output all along, so that it never blocks on a full pipe.
        Thread.ofPlatform().daemon().name("child-jvm-" + process.pid()).start(jvm::readOutput);
        try {
            jvm.awaitOutput(ready);
        } catch (Exception e) {
            jvm.close();
            throw e;
        }
        return jvm;
    }

    /**
     * Writes a line to the JVM's standard input, for a program that acts on commands.
     *
     * @param line what to write, without the line end
     */
    public void tell(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Waits for a stdout line containing {@code text}, after the lines already awaited.
     *
     * @throws IllegalStateException when the JVM ends or stays silent for a minute first
     */
    public void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (true) {
            String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                throw new IllegalStateException(
                        "the child JVM "
                                + (line == null ? "did not print " : "ended before printing ")
                                + text);
            }
            if (line.contains(text)) {
                return;
            }
        }
    }

    private void readOutput() {
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException e) {
            // The child went away: nothing more to read.
        }
        output.add(END);
    }

    public static Path javaHome() {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        return java.getParent().getParent();
    }

    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    long pid() {
        return process.pid();
    }

    /** Runs {@code jcmd <pid> <arguments>} and returns its output, failing on a non-zero exit. */
    String jcmd(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(READY_SECONDS, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", arguments) + ": " + output);
        }
        return output;
    }

    /** The JVM's own histogram, all objects, with no GC first. */
    JcmdHistogram histogram() throws Exception {
        return JcmdHistogram.parse(jcmd("GC.class_histogram", "-all"));
    }

    /** Dumps every object, without a GC first, gzipped at {@code gzipLevel} when it is above 0. */
    Path heapDump(Path file, int gzipLevel) throws Exception {
        Files.deleteIfExists(file);
        if (gzipLevel > 0) {
            jcmd("GC.heap_dump", "-all", "-gz=" + gzipLevel, file.toString());
        } else {
            jcmd("GC.heap_dump", "-all", file.toString());
        }
        return file;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
