package dev.dumpflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.IndexRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The download gate's API as the gate serves it, on loopback, with a second server as the object
 * storage its presigned redirects point to. It accepts one token, lets it list only some
 * namespaces, and records what each server was sent.
 */
final class TestGate implements AutoCloseable {

    static final String TOKEN = "good-token";
    private static final String SIGNATURE = "X-Amz-Signature=0123abcd";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer gate;
    private final HttpServer storage;
    private final Map<String, IndexRecord> records = new ConcurrentHashMap<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Set<String> listable = ConcurrentHashMap.newKeySet();

    /** The Authorization header of every gate request, {@code ""} when there was none. */
    final List<String> gateAuthorizations = new CopyOnWriteArrayList<>();

    /** The query string of every gate request. */
    final List<String> gateQueries = new CopyOnWriteArrayList<>();

    /** The Authorization header of every storage request, {@code ""} when there was none. */
    final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();

    TestGate() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        gate = HttpServer.create(loopback, 0);
        storage = HttpServer.create(loopback, 0);
        gate.createContext("/api/dumps", this::api);
        storage.createContext("/", this::object);
        gate.start();
        storage.start();
    }

    String url() {
        return "http://127.0.0.1:" + gate.getAddress().getPort();
    }

    /** Stores a dump: its record at the gate, {@code object} in the storage. */
    TestGate with(IndexRecord record, byte[] object) {
        records.put(record.dumpId(), record);
        objects.put(record.key(), object);
        return this;
    }

    /** Lets the token list {@code namespace}. */
    TestGate listable(String namespace) {
        listable.add(namespace);
        return this;
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            gateAuthorizations.add(authorization == null ? "" : authorization);
            String query = exchange.getRequestURI().getRawQuery();
            gateQueries.add(query == null ? "" : query);
            if (!("Bearer " + TOKEN).equals(authorization)) {
                error(exchange, 401, "the token is not valid");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/dumps")) {
                String namespace = query.replaceFirst("^namespace=([^&]*).*$", "$1");
                if (!listable.contains(namespace)) {
                    error(exchange, 403, "may not list dumps in " + namespace);
                    return;
                }
                List<IndexRecord> found =
                        records.values().stream()
                                .filter(r -> r.pod().namespace().equals(namespace))
                                .toList();
                json(exchange, 200, Map.of("dumps", found));
                return;
            }
            String[] parts = path.substring("/api/dumps/".length()).split("/");
            IndexRecord record = records.get(parts[0]);
            if (record == null) {
                error(exchange, 404, "no such dump");
            } else if (parts.length == 1) {
                json(exchange, 200, record);
            } else {
                exchange.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:"
                                        + storage.getAddress().getPort()
                                        + "/"
                                        + record.bucket()
                                        + "/"
                                        + record.key()
                                        + "?"
                                        + SIGNATURE);
                exchange.sendResponseHeaders(302, -1);
            }
        }
    }

    private void object(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            storageAuthorizations.add(authorization == null ? "" : authorization);
            String path = exchange.getRequestURI().getPath();
            String key = path.substring(path.indexOf('/', 1) + 1);
            byte[] object = objects.get(key);
            // Like S3: a presigned request must not carry a second credential.
            if (authorization != null
                    || !SIGNATURE.equals(exchange.getRequestURI().getRawQuery())
                    || object == null) {
                exchange.sendResponseHeaders(authorization != null ? 400 : 403, -1);
                return;
            }
            exchange.sendResponseHeaders(200, object.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(object);
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String message)
            throws IOException {
        json(exchange, status, Map.of("error", message));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        gate.stop(0);
        storage.stop(0);
    }
}
