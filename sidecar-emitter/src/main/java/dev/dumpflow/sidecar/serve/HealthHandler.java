package dev.dumpflow.sidecar.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code GET /healthz}: answers the kubelet's probes while the process serves. */
final class HealthHandler implements HttpHandler {

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/healthz")) {
                Responses.send(exchange, 404, "not found");
                return;
            }
            Responses.send(exchange, 200, "ok");
        }
    }
}
