package dev.dumpflow.functions;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stands before Funqy and answers at once what can never be an event for a function: a request that
 * is not a CloudEvents 1.0 event with a JSON object as data gets 400, one larger than {@code
 * dumpflow.events.max-bytes} gets 413, and any method but POST gets 405. Funqy would answer some of
 * these 500 or 200 (a blank ce-id, an event with no specversion), which the Broker retries or takes
 * as done.
 *
 * <p>Quarkus' own endpoints ({@code /q/}) and the dead-letter endpoint are not functions and pass
 * untouched.
 */
@ApplicationScoped
public class EventGate {

    private static final Logger LOG = Logger.getLogger(EventGate.class);
    private static final List<String> NOT_FUNCTIONS = List.of("/q/", "/dead-letter");

    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;

    private final long maxBytes;

    EventGate(EventGateConfig config) {
        this.maxBytes = config.maxBytes();
    }

    void install(@Observes Router router) {
        // After Quarkus' body handler, so the body is read, and before Funqy's routes, which take
        // the orders 0, 1, 2... of their registration.
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (NOT_FUNCTIONS.stream().anyMatch(path::startsWith)) {
            context.next();
            return;
        }
        if (context.request().method() != HttpMethod.POST) {
            context.response().putHeader("Allow", "POST");
            refuse(context, 405, "events are POSTed; " + context.request().method() + " is not");
            return;
        }
        Buffer body = context.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (bytes.length > maxBytes) {
            refuse(
                    context,
                    413,
                    "the event has %d bytes, more than dumpflow.events.max-bytes (%d)"
                            .formatted(bytes.length, maxBytes));
            return;
        }
        Optional<String> problem = EventShape.problem(context.request()::getHeader, bytes);
        if (problem.isPresent()) {
            refuse(context, 400, problem.get());
            return;
        }
        context.next();
    }

    private static void refuse(RoutingContext context, int status, String message) {
        LOG.infof(
                "answering %d (BAD_EVENT) on %s, not retryable: %s",
                status, context.normalizedPath(), message);
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "BAD_EVENT").put("message", message).encode());
    }
}
