package dev.dumpflow.functions.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The sidecar's K_SINK in the pod tests: a real HTTP hop in front of the local broker that notes
 * when each CloudEvent arrives and forwards it unchanged, answering what the broker answered; or,
 * with no broker, the sink itself, answering 202.
 *
 * <p>For a {@code dump.closed} it also reads the announced file in the pod's dumps volume, if there
 * is one, before forwarding (the archive deletes it once stored): its last-modified time, to
 * measure close to event, and the SHA-256 of its bytes, to compare with what reaches the bucket.
 */
final class SinkTap implements AutoCloseable {

    /** An event as it arrived; {@code file} only for a {@code dump.closed}. */
    record Arrival(Instant at, String type, String id, JsonNode data, Optional<DumpFile> file) {}

    /** The announced file as the tap found it. */
    record DumpFile(Instant lastModified, long size, String sha256) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI broker;
    private final Path dumps;
    private final boolean forwarding;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    SinkTap(InetAddress bind, URI broker, Path dumps) throws IOException {
        this(bind, broker, dumps, true);
    }

    /** The sink itself, with no broker behind it and no dumps volume to read. */
    static SinkTap recording(InetAddress bind) throws IOException {
        return new SinkTap(bind, null, null, false);
    }

    private SinkTap(InetAddress bind, URI broker, Path dumps, boolean forwarding)
            throws IOException {
        this.broker = broker;
        this.dumps = dumps;
        this.forwarding = forwarding;
        server = HttpServer.create(new InetSocketAddress(bind, 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("ce-type");
            JsonNode data = body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
            Optional<DumpFile> file = Optional.empty();
            if ("dev.dumpflow.dump.closed".equals(type) && dumps != null) {
                file = read(dumps.resolve(data.path("fileName").asText()));
            }
            arrivals.add(
                    new Arrival(
                            at, type, exchange.getRequestHeaders().getFirst("ce-id"), data, file));
            if (!forwarding) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            HttpRequest.Builder forward =
                    HttpRequest.newBuilder(broker)
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders()
                    .forEach(
                            (name, values) -> {
                                String n = name.toLowerCase(Locale.ROOT);
                                if (n.startsWith("ce-") || n.equals("content-type")) {
                                    values.forEach(v -> forward.header(name, v));
                                }
                            });
            HttpResponse<byte[]> answer =
                    client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.sendResponseHeaders(
                    answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
        } catch (IOException e) {
            // The broker could not be reached: the sidecar keeps the event and sends it again.
            exchange.sendResponseHeaders(502, -1);
        }
    }

    /** The file's facts, or nothing when it cannot be read (the test then says so). */
    private static Optional<DumpFile> read(Path file) {
        try {
            return Optional.of(facts(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static DumpFile facts(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return new DumpFile(
                attributes.lastModifiedTime().toInstant(),
                attributes.size(),
                HexFormat.of().formatHex(sha.digest()));
    }

    /** Every event so far, in arrival order. */
    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Waits for the first event that matches, or fails after {@code timeout}. */
    Arrival await(Predicate<Arrival> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Arrival> found = arrivals.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + timeout + "; events: " + arrivals);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
