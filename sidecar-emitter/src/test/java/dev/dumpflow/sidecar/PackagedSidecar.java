package dev.dumpflow.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar as the container runs it: {@code target/dumpflow-sidecar.jar} started with the
 * shipped {@code jvm.options}, in its own process, on a loopback port, its events going to a
 * recording sink here. The system properties {@code dumpflow-test.sidecar-jar} and {@code
 * dumpflow-test.jvm-options} put another jar or argument file in their place, to run a test against
 * an earlier build or with the image's flags.
 */
final class PackagedSidecar implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpServer sink;
    private final Map<String, JsonNode> closedByFileName;

    private PackagedSidecar(
            Process process,
            Path log,
            int port,
            HttpServer sink,
            Map<String, JsonNode> closedByFileName) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.sink = sink;
        this.closedByFileName = closedByFileName;
    }

    /** Starts it watching {@code dumps}, with the variables given added to the essential ones. */
    static PackagedSidecar start(Path dumps, Path log, Map<String, String> more) throws Exception {
        return start(dumps, log, more, List.of());
    }

    /**
     * As {@link #start(Path, Path, Map)}, its command line behind {@code prefix} (for example
     * {@code setpriv} to run it as another user).
     */
    static PackagedSidecar start(
            Path dumps, Path log, Map<String, String> more, List<String> prefix) throws Exception {
        Path jar =
                Path.of(
                        System.getProperty(
                                "dumpflow-test.sidecar-jar", "target/dumpflow-sidecar.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar.toAbsolutePath()
                            + " is missing: run ./mvnw -B -o -pl sidecar-emitter -am verify");
        }
        Map<String, JsonNode> closed = new ConcurrentHashMap<>();
        HttpServer sink =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sink.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        String type = exchange.getRequestHeaders().getFirst("ce-type");
                        if (type != null && type.endsWith(".dump.closed")) {
                            JsonNode data = MAPPER.readTree(body);
                            closed.put(data.get("fileName").asText(), data);
                        }
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
        sink.start();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("K_SINK", "http://127.0.0.1:" + sink.getAddress().getPort() + "/");
        env.put("DUMPFLOW_DUMP_DIRS", dumps.toAbsolutePath().toString());
        env.put("DUMPFLOW_PORT", Integer.toString(port));
        env.put("DUMPFLOW_ADVERTISE_HOST", "127.0.0.1");
        env.put("DUMPFLOW_PROCESS_MATCH", "^dumpflow-test-matches-no-process$");
        env.put("POD_NAMESPACE", "shop");
        env.put("POD_NAME", "checkout-1");
        env.put("CONTAINER_NAME", "app");
        env.putAll(more);
        String options = System.getProperty("dumpflow-test.jvm-options", "jvm.options");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(
                List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "@" + options,
                        "-jar",
                        jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        PackagedSidecar sidecar = new PackagedSidecar(builder.start(), log, port, sink, closed);
        sidecar.awaitHealthy(Duration.ofSeconds(60));
        return sidecar;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the sidecar exited:\n" + output());
                }
                try {
                    HttpResponse<Void> health =
                            http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/healthz"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                    if (health.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the sidecar did not become healthy:\n" + output());
    }

    /** The data of the {@code dump.closed} announcing this file, once it came. */
    JsonNode awaitAnnounced(String fileName, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode data = closedByFileName.get(fileName);
            if (data != null) {
                return data;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(fileName + " was not announced:\n" + output());
    }

    int port() {
        return port;
    }

    /** One unlabelled value of its {@code /metrics}. */
    long metric(String name) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            return text.lines()
                    .filter(l -> l.startsWith(name + " "))
                    .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in\n" + text));
        }
    }

    /** Its process id (of the JVM itself when a prefix such as {@code prlimit} execs it). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, if it has exited. */
    Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * A line of {@code /proc/<pid>/status}, in kB, such as {@code VmHWM} (peak RSS) or {@code
     * VmRSS}.
     */
    long statusKiB(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
    }

    /** The last 40 lines it printed. */
    String output() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException unreadable) {
            return "(" + log + " unreadable: " + unreadable + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        sink.stop(0);
    }
}
