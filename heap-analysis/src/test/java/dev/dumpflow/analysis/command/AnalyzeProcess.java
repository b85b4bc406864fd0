package dev.dumpflow.analysis.command;

import dev.dumpflow.analysis.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code dumpflow analyze} run as its own process, as the script runs it: the test's class path,
 * the command's main class, its real exit status and output streams.
 */
record AnalyzeProcess(int status, String out, String err) {

    static AnalyzeProcess run(String... arguments) throws Exception {
        return run(List.of(), arguments);
    }

    /** The command in a JVM started with {@code jvmFlags} as well, such as {@code -Xmx256m}. */
    static AnalyzeProcess run(List<String> jvmFlags, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaHome().resolve("bin/java").toString());
        command.addAll(jvmFlags);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(ChildJvm.testClassPath());
        command.add(AnalyzeCommand.class.getName());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> err =
                CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("dumpflow analyze did not finish: " + command);
        }
        return new AnalyzeProcess(process.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
