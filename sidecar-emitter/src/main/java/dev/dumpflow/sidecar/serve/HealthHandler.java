package dev.dumpflow.sidecar.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/**
 * {@code GET /healthz}: the kubelet's probes. It answers 503 while the sidecar starts (the file
 * server listens before the dump directories are watched, so that no dump is announced before it
 * can be fetched) and 200 once everything runs.
 */
final class HealthHandler implements HttpHandler {

    private volatile boolean ready;

    void ready() {
        ready = true;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/healthz")) {
                Responses.send(exchange, 404, "not found");
                return;
            }
            if (ready) {
                Responses.send(exchange, 200, "ok");
            } else {
                Responses.send(exchange, 503, "starting");
            }
        }
    }
}
