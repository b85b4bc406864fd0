package dev.dumpflow.functions.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.functions.EventGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The download gate's HTTP API, served only when {@code dumpflow.download.gate-enabled=true}:
 *
 * <ul>
 *   <li>{@code GET /api/dumps?namespace=NS[&workload=W][&since=P7D or an instant]}: the index
 *       records of the namespace, newest first, for a caller with {@code list} on {@code
 *       dumps.dumpflow.dev} there, else 403;
 *   <li>{@code GET /api/dumps/{dumpId}}: one record, for a caller with {@code get} in the dump's
 *       namespace;
 *   <li>{@code GET /api/dumps/{dumpId}/download}: 302 to a presigned URL of minutes, likewise.
 * </ul>
 *
 * <p>Every request carries {@code Authorization: Bearer <token>}, a Kubernetes token (401 without a
 * valid one). A dump that does not exist and one the caller may not {@code get} are both answered
 * with the same 404, so the gate tells nobody which dumps exist where they may not look. Every
 * decision is recorded in the {@link AuditTrail} before it is answered; when it cannot be, or the
 * API server does not answer, the answer is 503 and nothing is handed out.
 */
@ApplicationScoped
public class DownloadGateRoute {

    /** The prefix of every path the gate serves. */
    public static final String PREFIX = "/api/";

    private static final Logger LOG = Logger.getLogger(DownloadGateRoute.class);
    private static final String BEARER = "Bearer ";

    private final GateConfig config;
    private final AccessReviews reviews;
    private final DumpCatalog catalog;
    private final GateLinks links;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    DownloadGateRoute(
            GateConfig config,
            AccessReviews reviews,
            DumpCatalog catalog,
            GateLinks links,
            AuditTrail audit,
            ObjectMapper json,
            MeterRegistry registry) {
        this.config = config;
        this.reviews = reviews;
        this.catalog = catalog;
        this.links = links;
        this.audit = audit;
        this.json = json;
        this.registry = registry;
    }

    void install(@Observes Router router) {
        if (!config.gateEnabled()) {
            return;
        }
        int order = EventGate.ORDER + 1;
        router.get("/api/dumps")
                .order(order)
                .blockingHandler(c -> serve(c, "list", this::list), false);
        router.get("/api/dumps/:dumpId")
                .order(order)
                .blockingHandler(c -> serve(c, "show", this::show), false);
        router.get("/api/dumps/:dumpId/download")
                .order(order)
                .blockingHandler(c -> serve(c, "download", this::download), false);
    }

    /** One of the gate's three decisions, for an authenticated caller. */
    private interface Decision {
        GateAnswer decide(RoutingContext context, Caller caller);
    }

    private void serve(RoutingContext context, String action, Decision decision) {
        GateAnswer answer;
        try {
            Optional<Caller> caller = reviews.authenticate(bearer(context));
            answer =
                    caller.isEmpty()
                            ? GateAnswer.refused(
                                    401,
                                    "a valid Kubernetes token is required: Authorization: Bearer"
                                            + " <token>",
                                    null,
                                    context.request().getParam("namespace"),
                                    context.pathParam("dumpId"))
                            : decision.decide(context, caller.get());
        } catch (GateUnavailable e) {
            LOG.errorf("download gate: %s answered 503: %s", action, e.getMessage());
            respond(
                    context,
                    action,
                    GateAnswer.refused(
                            503, "the gate cannot decide right now; try again", null, null, null));
            return;
        }
        try {
            audit.record(
                    new AuditLine(
                            clock.instant(),
                            answer.user(),
                            action,
                            answer.namespace(),
                            answer.dumpId(),
                            AuditLine.decisionOf(answer.status()),
                            answer.status(),
                            context.request().remoteAddress() == null
                                    ? null
                                    : context.request().remoteAddress().hostAddress(),
                            context.request().getHeader("X-Forwarded-For"),
                            answer.reason()));
        } catch (GateUnavailable e) {
            LOG.errorf("download gate: %s not recorded, answered 503: %s", action, e.getMessage());
            respond(
                    context,
                    action,
                    GateAnswer.refused(
                            503,
                            "the gate cannot record the decision; try again",
                            null,
                            null,
                            null));
            return;
        }
        respond(context, action, answer);
    }

    /**
     * Answers and counts the decision in {@code dumpflow.gate.decisions}, by action, decision and
     * status, so that operators see refusals and outages as numbers.
     */
    private void respond(RoutingContext context, String action, GateAnswer answer) {
        registry.counter(
                        "dumpflow.gate.decisions",
                        "action",
                        action,
                        "decision",
                        AuditLine.decisionOf(answer.status()),
                        "status",
                        Integer.toString(answer.status()))
                .increment();
        answer.writeTo(context);
    }

    private GateAnswer list(RoutingContext context, Caller caller) {
        String namespace = context.request().getParam("namespace");
        if (namespace == null || namespace.isBlank()) {
            return GateAnswer.refused(
                    400, "namespace is required: ?namespace=NS", caller.username(), null, null);
        }
        Optional<String> workload =
                Optional.ofNullable(context.request().getParam("workload"))
                        .filter(w -> !w.isBlank());
        Optional<Instant> since;
        try {
            since = since(context.request().getParam("since"));
        } catch (DateTimeParseException e) {
            return GateAnswer.refused(
                    400,
                    "since is an ISO-8601 duration (P7D, PT12H) or an instant"
                            + " (2026-01-31T00:00:00Z)",
                    caller.username(),
                    namespace,
                    null);
        }
        if (!reviews.allows(caller, "list", namespace, Optional.empty())) {
            return GateAnswer.refused(
                    403,
                    "you may not list dumps in namespace " + namespace,
                    caller.username(),
                    namespace,
                    null);
        }
        List<JsonNode> found = catalog.list(namespace, workload, since, config.maxListed());
        return new GateAnswer(
                200, body(Map.of("dumps", found)), null, caller.username(), namespace, null, null);
    }

    private GateAnswer show(RoutingContext context, Caller caller) {
        return readable(
                context,
                caller,
                f ->
                        new GateAnswer(
                                200,
                                body(f.shown()),
                                null,
                                caller.username(),
                                f.namespace(),
                                f.archived().dumpId(),
                                null));
    }

    private GateAnswer download(RoutingContext context, Caller caller) {
        return readable(
                context,
                caller,
                f ->
                        new GateAnswer(
                                302,
                                "",
                                links.linkTo(f.archived()).toString(),
                                caller.username(),
                                f.namespace(),
                                f.archived().dumpId(),
                                null));
    }

    /**
     * The answer for one dump: {@code allowed}'s when the dump exists and the caller may {@code
     * get} it in its namespace, else 404. The 404 is the same whether the dump is missing or
     * forbidden; only the audit line tells the two apart, by its namespace and reason.
     */
    private GateAnswer readable(
            RoutingContext context,
            Caller caller,
            Function<DumpCatalog.Found, GateAnswer> allowed) {
        String dumpId = context.pathParam("dumpId");
        Optional<DumpCatalog.Found> found = catalog.find(dumpId);
        if (found.isEmpty()) {
            return GateAnswer.notFound(caller.username(), dumpId, null, "no such dump");
        }
        String namespace = found.get().namespace();
        if (!reviews.allows(caller, "get", namespace, Optional.of(dumpId))) {
            return GateAnswer.notFound(
                    caller.username(), dumpId, namespace, "no get right in the namespace");
        }
        return allowed.apply(found.get());
    }

    private Optional<Instant> since(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            return Optional.of(clock.instant().minus(Duration.parse(value)));
        }
        return Optional.of(Instant.parse(value));
    }

    private static Optional<String> bearer(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = header.substring(BEARER.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private String body(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a gate answer did not serialise", e);
        }
    }
}
