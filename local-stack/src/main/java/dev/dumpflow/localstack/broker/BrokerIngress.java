package dev.dumpflow.localstack.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The HTTP ingress of the local broker, at {@code POST /brokers/{namespace}/{broker}}, answering as
 * the Knative data-plane contract says: 202 when accepted, 400 when the request holds no valid
 * CloudEvent (binary or structured), 404 for a Broker the manifests do not define, 405 for a method
 * other than POST, 413 for a body past {@code dumpflow.events.max-bytes} (the functions' own limit,
 * see {@link LocalBrokerConfig#maxEventBytes}), 429 when too many deliveries are pending, and 503
 * when its journal could not store the event. A durable broker answers 202 only once the event is
 * on disk.
 *
 * <p>A body is never read past the limit: a {@code Content-Length} over it is answered 413 before a
 * byte of the body is read, and a chunked body is read up to one byte past the limit.
 */
public final class BrokerIngress implements HttpHandler {

    /** The context path of the ingress; the namespace and the Broker's name follow it. */
    public static final String PATH = "/brokers/";

    /**
     * A namespace or a Broker's name, as Kubernetes names objects (a DNS-1123 subdomain); anything
     * else names no Broker of the manifests, and never reaches a log line.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private static final Logger LOG = Logger.getLogger(BrokerIngress.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalBroker broker;
    private final int maxEventBytes;

    private BrokerIngress(LocalBroker broker, int maxEventBytes) {
        this.broker = broker;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Installs the ingress of a broker on a server.
     *
     * @param maxEventBytes the largest body taken, {@code dumpflow.events.max-bytes}
     */
    public static void install(HttpServer server, LocalBroker broker, int maxEventBytes) {
        server.createContext(PATH, new BrokerIngress(broker, maxEventBytes));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] segments =
                    exchange.getRequestURI().getPath().substring(PATH.length()).split("/");
            if (segments.length != 2
                    || !NAME.matcher(segments[0]).matches()
                    || !NAME.matcher(segments[1]).matches()) {
                answer(
                        exchange,
                        404,
                        "NOT_FOUND",
                        "a broker's path is /brokers/{namespace}/{name}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                answer(
                        exchange,
                        405,
                        "METHOD_NOT_ALLOWED",
                        "a broker accepts events with POST only");
                return;
            }
            String namespace = segments[0];
            String name = segments[1];
            long declared = declaredLength(exchange);
            if (declared > maxEventBytes) {
                tooLarge(exchange, "the event has " + declared + " bytes");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(maxEventBytes + 1);
            }
            if (body.length > maxEventBytes) {
                tooLarge(exchange, "the event has more than " + maxEventBytes + " bytes");
                return;
            }
            CloudEvent event;
            try {
                event =
                        CloudEventCodec.requirePrintable(
                                CloudEventCodec.read(headers(exchange), body));
            } catch (IllegalArgumentException e) {
                LOG.infof("broker %s/%s refused a request: %s", namespace, name, e.getMessage());
                answer(exchange, 400, "BAD_EVENT", e.getMessage());
                return;
            }
            switch (broker.accept(namespace, name, event)) {
                case ACCEPTED -> {
                    LOG.debugf(
                            "broker %s/%s accepted event id=%s dumpid=%s type=%s",
                            namespace,
                            name,
                            event.getId(),
                            EventAttributes.dumpId(event),
                            event.getType());
                    exchange.sendResponseHeaders(202, -1);
                }
                case UNKNOWN_BROKER ->
                        answer(
                                exchange,
                                404,
                                "NOT_FOUND",
                                "no Broker " + namespace + "/" + name + " in the manifests");
                case OVERLOADED -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    answer(exchange, 429, "OVERLOADED", "too many deliveries pending; retry later");
                }
                case NOT_STORED -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    answer(
                            exchange,
                            503,
                            "NOT_STORED",
                            "the broker could not store the event; retry later");
                }
            }
        }
    }

    /**
     * The request's {@code Content-Length}, or -1 when it has none (a chunked body) or a bad one.
     */
    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Answers 413 and closes the connection: what is left of the body is not read (the server
     * drains a little of it, then drops the connection), so the connection carries no other
     * request.
     */
    private void tooLarge(HttpExchange exchange, String what) throws IOException {
        exchange.getResponseHeaders().add("Connection", "close");
        answer(
                exchange,
                413,
                "TOO_LARGE",
                "%s, more than dumpflow.events.max-bytes (%d)".formatted(what, maxEventBytes));
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach(
                        (key, values) ->
                                headers.computeIfAbsent(
                                                key.toLowerCase(Locale.ROOT),
                                                k -> new ArrayList<>())
                                        .addAll(values));
        return headers;
    }

    private static void answer(HttpExchange exchange, int status, String kind, String message)
            throws IOException {
        byte[] body =
                JSON.writeValueAsString(Map.of("error", kind, "message", message))
                        .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        // Closing the response body sends it at once; closing the exchange would first read on
        // into what is left of the request body, which a refused sender may never send.
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
