package dev.dumpflow.functions.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
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
 * cut a transfer once, or send a dump at a set pace or not at all (as a hostile or starved sidecar
 * would), to test how the archive reacts.
 */
final class SidecarStandIn implements AutoCloseable {

    record Served(String token, DumpContent content) {}

    /** {@code bytes} sent, then a pause of {@code every}, over and over. */
    private record Pace(int bytes, Duration every) {}

    /** How long a stalled transfer is held open at most, should the archive never give up. */
    private static final Duration LONGEST_STALL = Duration.ofMinutes(2);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Served> dumps = new ConcurrentHashMap<>();
    private final Map<String, URI> redirects = new ConcurrentHashMap<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();
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

    /**
     * Every GET of this dump sends {@code bytes} bytes, flushed, then waits {@code every}, until
     * the dump is sent or the archive hangs up. A pace of 0 bytes sends the status and headers,
     * then nothing: a stalled transfer.
     */
    void pace(String dumpId, int bytes, Duration every) {
        paces.put(dumpId, new Pace(bytes, every));
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
        Pace pace = paces.get(dumpId);
        try (InputStream in = content.open(from);
                OutputStream out = exchange.getResponseBody()) {
            if (pace != null) {
                sendAtPace(in, out, pace);
                return;
            }
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

    private static void sendAtPace(InputStream in, OutputStream out, Pace pace) throws IOException {
        out.flush();
        try {
            if (pace.bytes() == 0) {
                Thread.sleep(LONGEST_STALL);
                return;
            }
            byte[] chunk;
            while ((chunk = in.readNBytes(pace.bytes())).length > 0) {
                out.write(chunk);
                out.flush(); // fails once the archive hung up
                Thread.sleep(pace.every());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the stand-in stopped", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
