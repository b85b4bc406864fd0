package dev.dumpflow.functions.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Stands in for the sidecar's file server on loopback: {@code GET /dumps/{dumpId}} with a bearer
 * token and Range, {@code DELETE /dumps/{dumpId}}. It records every request, and can redirect or
 * cut a transfer once, to test how the archive reacts.
 */
final class SidecarStandIn implements AutoCloseable {

    record Served(String token, DumpContent content) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Served> dumps = new ConcurrentHashMap<>();
    private final Map<String, URI> redirects = new ConcurrentHashMap<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> onDelete = id -> {};

    private SidecarStandIn(HttpServer server) {
        this.server = server;
    }

    static SidecarStandIn start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** Listens on {@code bind}, for example 0.0.0.0 to be reachable on every interface. */
    static SidecarStandIn start(InetAddress bind) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, 0), 0);
        SidecarStandIn standIn = new SidecarStandIn(server);
        server.createContext("/dumps/", standIn::handle);
        server.setExecutor(standIn.executor);
        server.start();
        return standIn;
    }

    URI url(String dumpId) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dumps/" + dumpId);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void serve(String dumpId, String token, DumpContent content) {
        dumps.put(dumpId, new Served(token, content));
    }

    void redirect(String dumpId, URI location) {
        redirects.put(dumpId, location);
    }

    /** The next GET of this dump stops after {@code bytes} bytes, as a crash would. */
    void cutOnce(String dumpId, long bytes) {
        cuts.put(dumpId, bytes);
    }

    /** Called with the dumpId when a DELETE arrives, before it is answered. */
    void onDelete(Consumer<String> callback) {
        onDelete = callback;
    }

    /** Every request so far, as {@code "GET /dumps/x"} or {@code "GET /dumps/x bytes=5-"}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    boolean holds(String dumpId) {
        return dumps.containsKey(dumpId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String dumpId = path.substring("/dumps/".length());
            String range = exchange.getRequestHeaders().getFirst("Range");
            String method = exchange.getRequestMethod();
            requests.add(method + " " + path + (range == null ? "" : " " + range));
            URI redirect = redirects.get(dumpId);
            if (redirect != null) {
                exchange.getResponseHeaders().add("Location", redirect.toString());
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Served served = dumps.get(dumpId);
            if (served == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + served.token()).equals(auth)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            switch (method) {
                case "DELETE" -> {
                    onDelete.accept(dumpId);
                    dumps.remove(dumpId);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "GET" -> get(exchange, dumpId, served.content(), range);
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void get(HttpExchange exchange, String dumpId, DumpContent content, String range)
            throws IOException {
        long size = content.size();
        long from = 0;
        if (range != null) {
            from = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
            exchange.getResponseHeaders()
                    .add("Content-Range", "bytes %d-%d/%d".formatted(from, size - 1, size));
            exchange.sendResponseHeaders(206, size - from);
        } else {
            exchange.sendResponseHeaders(200, size);
        }
        Long cut = cuts.remove(dumpId);
        long limit = cut == null ? Long.MAX_VALUE : cut;
        try (InputStream in = content.open(from);
                OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[256 * 1024];
            long sent = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int allowed = (int) Math.min(n, limit - sent);
                out.write(buffer, 0, allowed);
                sent += allowed;
                if (sent >= limit) {
                    // Closing the exchange short of the announced length drops the connection.
                    throw new IOException("cut by the test after " + sent + " bytes");
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
