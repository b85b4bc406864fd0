package dev.dumpflow.functions.archive;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real sidecar ({@code sidecar-emitter/target/dumpflow-sidecar.jar}, started with its {@code
 * jvm.options}) on a fixed loopback port, with its dump and state directories kept across {@link
 * #kill} and {@link #start}, as a restarted container keeps its volumes. Its events go to a
 * recording sink here.
 */
final class RealSidecar implements AutoCloseable {

    static final Path JAR = Path.of("../sidecar-emitter/target/dumpflow-sidecar.jar");
    private static final Path OPTIONS = Path.of("../sidecar-emitter/jvm.options");

    private final Path dumps;
    private final Path state;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final HttpServer sink;
    private final BlockingQueue<JsonNode> closed = new LinkedBlockingQueue<>();
    private final ObjectMapper mapper;
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    private RealSidecar(Path root, int port, HttpServer sink, ObjectMapper mapper)
            throws IOException {
        this.dumps = Files.createDirectories(root.toAbsolutePath().resolve("dumps"));
        this.state = Files.createDirectories(root.toAbsolutePath().resolve("state"));
        this.port = port;
        this.sink = sink;
        this.mapper = mapper;
    }

    /** A sidecar with empty directories under {@code root}, not started yet. */
    static RealSidecar in(Path root, ObjectMapper mapper) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath().normalize()
                            + " is missing: run ./mvnw -B -o -pl sidecar-emitter,functions -am"
                            + " verify");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        HttpServer sink =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        RealSidecar sidecar = new RealSidecar(root, port, sink, mapper);
        sink.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        String type = exchange.getRequestHeaders().getFirst("ce-type");
                        if (type != null && type.endsWith(".dump.closed")) {
                            sidecar.closed.add(mapper.readTree(body));
                        }
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
        sink.start();
        return sidecar;
    }

    Path dumps() {
        return dumps;
    }

    /** Starts the sidecar (again), on the same port with the same directories. */
    void start() throws Exception {
        Path log = state.getParent().resolve("sidecar-" + logs.size() + ".log");
        logs.add(log);
        ProcessBuilder builder =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "@" + OPTIONS,
                                "-jar",
                                JAR.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment()
                .putAll(
                        Map.of(
                                "K_SINK", "http://127.0.0.1:" + sink.getAddress().getPort() + "/",
                                "DUMPFLOW_DUMP_DIRS", dumps.toString(),
                                "DUMPFLOW_STATE_DIR", state.toString(),
                                "DUMPFLOW_PORT", Integer.toString(port),
                                "DUMPFLOW_ADVERTISE_HOST", "127.0.0.1",
                                "DUMPFLOW_PROCESS_MATCH", "^dumpflow-faults-matches-no-process$",
                                "POD_NAMESPACE", "shop",
                                "POD_NAME", "checkout-7d9f8b6c5-x2x9q",
                                "CONTAINER_NAME", "app"));
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!healthy()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the sidecar did not start:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Whether {@code GET /healthz} answers 200: the sidecar serves and announces. */
    private boolean healthy() throws InterruptedException {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(base().resolve("/healthz")).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    /**
     * One sample of the sidecar's {@code GET /metrics}, for example {@code
     * dumpflow_sidecar_bytes_served_total}; 0 when it is not there.
     */
    long metric(String sample) throws IOException, InterruptedException {
        String text =
                HTTP.send(
                                HttpRequest.newBuilder(base().resolve("/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return text.lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** SIGKILL: the sidecar stops in the middle of whatever it serves. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The next dump.closed event's data the sidecar sent. */
    JsonNode nextClosed(Duration timeout) throws InterruptedException {
        JsonNode event = closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new IllegalStateException("no dump.closed within " + timeout + ":\n" + log());
        }
        return event;
    }

    /** Everything every run of the sidecar printed. */
    String log() {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            try {
                all.append(Files.readString(log));
            } catch (IOException e) {
                all.append("(").append(log).append(" unreadable)\n");
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        sink.stop(0);
    }
}
