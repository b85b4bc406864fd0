package dev.dumpflow.sidecar.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dumpflow.sidecar.json.JsonParser;
import dev.dumpflow.sidecar.json.JsonWriter;
import dev.dumpflow.sidecar.memory.ProcessSample;
import dev.dumpflow.sidecar.memory.ProcessScanner;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /captures}: takes a dump on request, with {@code cause=manual}.
 *
 * <p>Body {@code {"pid": 123}}, or empty for the main process: the capturable process with the
 * largest resident set. Authorised by {@code Authorization: Bearer <DUMPFLOW_ADMIN_TOKEN>}; without
 * that variable the endpoint answers 404. Answers 202 with the file name the dump will be announced
 * under, 429 when a limit refuses, with the reason.
 */
public final class CaptureRequestHandler implements HttpHandler {

    private static final System.Logger LOG =
            System.getLogger(CaptureRequestHandler.class.getName());
    private static final int MAX_BODY = 4096;

    private final ProcessScanner processes;
    private final CaptureService captures;
    private final Optional<AdminToken> token;

    public CaptureRequestHandler(
            ProcessScanner processes, CaptureService captures, Optional<AdminToken> token) {
        this.processes = processes;
        this.captures = captures;
        this.token = token;
        if (token.isEmpty()) {
            LOG.log(Level.INFO, "POST /captures is disabled: DUMPFLOW_ADMIN_TOKEN is not set");
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/captures") && !path.equals("/captures/")) {
                reply(exchange, 404, Map.of("error", "not found"));
            } else if (token.isEmpty()) {
                reply(
                        exchange,
                        404,
                        Map.of(
                                "error",
                                "on-demand capture is disabled: DUMPFLOW_ADMIN_TOKEN is not set"));
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                reply(exchange, 405, Map.of("error", "use POST"));
            } else if (!authorised(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                LOG.log(Level.WARNING, "POST /captures refused: missing or wrong admin token");
                reply(exchange, 401, Map.of("error", "a valid admin token is required"));
            } else {
                capture(exchange);
            }
        }
    }

    private void capture(HttpExchange exchange) throws IOException {
        Optional<Long> pid;
        try {
            pid = requestedPid(exchange.getRequestBody());
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, Map.of("error", e.getMessage()));
            return;
        }
        Optional<ProcessSample> target =
                pid.isPresent()
                        ? processes.lookup(pid.get())
                        : processes.scan().stream()
                                .filter(s -> captures.covers(s.process().runtime()))
                                .max(Comparator.comparingLong(ProcessSample::rssBytes));
        if (target.isEmpty()) {
            reply(
                    exchange,
                    404,
                    Map.of(
                            "error",
                            pid.map(p -> "no watched process with pid " + p)
                                    .orElse("no process that DUMPFLOW_CAPTURE covers")));
            return;
        }
        long targetPid = target.get().process().pid();
        switch (captures.onRequest(target.get())) {
            case CaptureDecision.Started s -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("pid", targetPid);
                body.put("fileName", s.fileName());
                reply(exchange, 202, body);
            }
            case CaptureDecision.Skipped s ->
                    reply(
                            exchange,
                            s.limited() ? 429 : 409,
                            Map.of("pid", targetPid, "error", s.reason()));
            case CaptureDecision.NotDue n ->
                    reply(exchange, 409, Map.of("pid", targetPid, "error", "nothing to capture"));
        }
    }

    private boolean authorised(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return token.orElseThrow().matches(header.substring(7));
    }

    private Optional<Long> requestedPid(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("the body is limited to " + MAX_BODY + " bytes");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        Object request;
        try {
            request = JsonParser.parse(bytes);
        } catch (IllegalArgumentException malformed) {
            request = null;
        }
        if (!(request instanceof Map<?, ?> members)) {
            throw new IllegalArgumentException(
                    "the body must be a JSON object such as {\"pid\": 123}");
        }
        Object pid = members.get("pid");
        if (pid == null) {
            return Optional.empty();
        }
        if (!(pid instanceof Long number) || number <= 0) {
            throw new IllegalArgumentException("pid must be a positive integer");
        }
        return Optional.of(number);
    }

    private void reply(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JsonWriter.toBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
