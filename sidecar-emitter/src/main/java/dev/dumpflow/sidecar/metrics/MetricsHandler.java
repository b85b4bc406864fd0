package dev.dumpflow.sidecar.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** {@code GET /metrics}: the sidecar's counters for Prometheus, on the file server's port. */
public final class MetricsHandler implements HttpHandler {

    /** The route this handler answers. */
    public static final String PATH = "/metrics";

    private final SidecarMetrics metrics;
    private final IntSupplier outboxEvents;

    /**
     * @param outboxEvents reads the outbox's depth at scrape time
     */
    public MetricsHandler(SidecarMetrics metrics, IntSupplier outboxEvents) {
        this.metrics = metrics;
        this.outboxEvents = outboxEvents;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().add("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.render(outboxEvents.getAsInt()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
