package dev.dumpflow.functions.chaos;

import dev.dumpflow.functions.e2e.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged functions ({@code target/quarkus-app/quarkus-run.jar}) as a child process on a fixed
 * loopback port, so that it can be stopped, or killed, and started again where its peers expect it.
 * The chaos run starts the functions this way; the local broker runs from local-stack's jar.
 */
final class PackagedApp implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final String name;
    private final int port;
    private final Map<String, String> config;
    private final List<String> outputs = new ArrayList<>();
    private ChildProcess process;

    private PackagedApp(String name, int port, Map<String, String> config) {
        this.name = name;
        this.port = port;
        this.config = Map.copyOf(config);
    }

    /** Starts the jar with {@code config} as system properties and waits until it listens. */
    static PackagedApp start(String name, int port, Map<String, String> config) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath()
                            + " is missing: build it with"
                            + " ./mvnw -B -o -pl sidecar-emitter,functions -am verify");
        }
        PackagedApp app = new PackagedApp(name, port, config);
        app.start();
        return app;
    }

    /** Starts the process (again) on the same port, with the same configuration. */
    void start() throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                ChildProcess.java().toString(),
                                "-Xmx256m",
                                "-XX:+UseSerialGC",
                                "--enable-native-access=ALL-UNNAMED",
                                "-Dquarkus.http.host=127.0.0.1",
                                "-Dquarkus.http.port=" + port));
        // No API server here: run as the local stack does (claims are not verified).
        command.add("-Ddumpflow.kubernetes.enabled=false");
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toString()));
        process =
                ChildProcess.start(
                        name + "-" + (outputs.size() + 1),
                        command,
                        Map.of(),
                        "Listening on",
                        Duration.ofSeconds(90));
    }

    /** Stops the process as an orchestrator would (SIGTERM, then SIGKILL after 10 s). */
    void stop() throws InterruptedException {
        process.close();
        outputs.add(process.output());
    }

    /** Kills the process at once (SIGKILL), as a crash or an evicted pod would end it. */
    void kill() throws InterruptedException {
        process.kill();
        outputs.add(process.output());
    }

    /** The running process, to wait on its log. */
    ChildProcess process() {
        return process;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The output of every run so far, the current one last. */
    String output() {
        List<String> all = new ArrayList<>(outputs);
        if (process != null && process.alive()) {
            all.add(process.output());
        }
        return String.join("\n--- restarted ---\n", all);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.alive()) {
            stop();
        }
    }
}
