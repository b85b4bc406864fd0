package dev.dumpflow.functions;

import dev.dumpflow.functions.gate.DownloadGateRoute;
import dev.dumpflow.functions.gate.GateConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stands before Funqy and the dead-letter route and answers at once what can never be an event for
 * them: a request larger than {@code dumpflow.events.max-bytes} gets 413, to a function and to
 * {@code /dead-letter} alike; to a function, a request that is not a CloudEvents 1.0 event with a
 * JSON object as data gets 400, and any method but POST gets 405. Funqy would answer some of these
 * 500 or 200 (a blank ce-id, an event with no specversion), which the Broker retries or takes as
 * done.
 *
 * <p>Quarkus' own endpoints ({@code /q/}) pass untouched, and so does the download gate's API
 * ({@code /api/}) when this process serves it ({@code dumpflow.download.gate-enabled=true}). In the
 * gate's own Service ({@code dumpflow.download.gate-only=true}) every other path is answered 404:
 * people may reach that Service, so no event may enter there; the dead-letter route checks the
 * shape of what it takes itself (a dead letter carries Knative's extensions and any type).
 */
@ApplicationScoped
public class EventGate {

    private static final Logger LOG = Logger.getLogger(EventGate.class);
    private static final String QUARKUS = "/q/";
    private static final String DEAD_LETTER = "/dead-letter";

    /**
     * Right after Quarkus' body handler, so the body is read (up to Quarkus' own limit), and before
     * the dead-letter route ({@code ORDER + 1}) and Funqy's routes, which take the orders 0, 1,
     * 2... of their registration.
     */
    public static final int ORDER = RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1;

    private final long maxBytes;
    private final boolean downloadGate;
    private final boolean gateOnly;

    EventGate(EventGateConfig config, GateConfig gate) {
        this.maxBytes = config.maxBytes();
        this.downloadGate = gate.gateEnabled();
        this.gateOnly = gate.gateEnabled() && gate.gateOnly();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith(QUARKUS)
                || (downloadGate && path.startsWith(DownloadGateRoute.PREFIX))) {
            context.next();
            return;
        }
        if (gateOnly) {
            // The gate's Service is open to the cluster's pods; the functions behind it must not
            // be, or a pod could post a forged event past the functions' NetworkPolicy.
            LOG.infof("answering 404 on %s: this process serves the download gate only", path);
            context.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(
                            new JsonObject()
                                    .put("error", "NOT_SERVED")
                                    .put(
                                            "message",
                                            "this process serves the download gate (/api/) only,"
                                                    + " no events")
                                    .encode());
            return;
        }
        boolean deadLetter = path.startsWith(DEAD_LETTER);
        if (context.request().method() != HttpMethod.POST) {
            if (deadLetter) {
                context.next();
                return;
            }
            context.response().putHeader("Allow", "POST");
            refuse(context, 405, "events are POSTed; " + context.request().method() + " is not");
            return;
        }
        Buffer body = context.body().buffer();
        int length = body == null ? 0 : body.length();
        if (length > maxBytes) {
            refuse(
                    context,
                    413,
                    "the event has %d bytes, more than dumpflow.events.max-bytes (%d)"
                            .formatted(length, maxBytes));
            return;
        }
        if (deadLetter) {
            context.next();
            return;
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
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
