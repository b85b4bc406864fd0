package dev.dumpflow.functions.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.functions.EventGate;
import dev.dumpflow.functions.FunctionFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The dead-letter handler, at {@code POST /dead-letter}: the Broker's {@code deadLetterSink} in
 * {@code knative/500-broker.yaml}. For a dump event that exhausted its retries it sends {@code
 * dev.dumpflow.dump.failed} to the Broker, whose Trigger takes it to the notify function, so a
 * person learns that the dump was not saved, why, and where it still sits.
 *
 * <p>Why a Vert.x route and not a Funqy function: a dead-lettered event keeps its own {@code
 * ce-type} ({@code dump.closed}, ...), and Funqy routes on {@code ce-type}, so it would hand the
 * event straight back to the function that gave up on it. Knative addresses a dead-letter sink by
 * URL, and this path is that URL.
 *
 * <p>{@code dump.failed} goes to {@code K_SINK}, the Broker's address that the functions'
 * SinkBinding gives them, with the functions' OIDC token when there is one ({@link
 * DeadLetterConfig}).
 *
 * <p>Answers: 202 once {@code dump.failed} is accepted by the Broker (or when the event carries no
 * dump to report), 400 when the body is no CloudEvent or names no dump, 413 (from {@link
 * EventGate}) when it is larger than {@code dumpflow.events.max-bytes}, 503 when the Broker does
 * not take {@code dump.failed}, or {@code K_SINK} is not set, so that the dead letter is retried.
 */
@ApplicationScoped
public class DeadLetterRoute {

    /** The path the Broker's dead-letter sink points at. */
    public static final String PATH = "/dead-letter";

    private static final Logger LOG = Logger.getLogger(DeadLetterRoute.class);

    private final ObjectMapper json;
    private final Optional<URI> sink;
    private final FailedEventSender sender;
    private final LetterCheck letters;
    private final Counter deadLetters;

    DeadLetterRoute(
            ObjectMapper json,
            @ConfigProperty(name = "K_SINK") Optional<URI> sink,
            LetterCheck letters,
            DeadLetterConfig config,
            MeterRegistry registry) {
        this.json = json;
        this.deadLetters =
                Counter.builder("dumpflow.dead.letters")
                        .description(
                                "Events the Broker gave up on and sent to the dead-letter sink.")
                        .register(registry);
        this.letters = letters;
        this.sink = sink;
        this.sender = new FailedEventSender(json, config.sinkTokenFile());
    }

    void install(@Observes Router router) {
        // Quarkus' body handler has read the body, and the gate has held it to
        // dumpflow.events.max-bytes; a BodyHandler of its own would see the body read and do
        // nothing, which is how a 1 MiB limit here once went unenforced.
        router.post(PATH).order(EventGate.ORDER + 1).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext context) {
        CloudEvent letter;
        try {
            Buffer body = context.body().buffer();
            letter =
                    HttpMessageFactory.createReaderFromMultimap(
                                    headers(context), body == null ? new byte[0] : body.getBytes())
                            .toEvent();
        } catch (RuntimeException e) {
            answer(context, 400, "BAD_EVENT", "not a valid CloudEvent: " + e.getMessage());
            return;
        }
        deadLetters.increment();
        Optional<String> stage = FailureNotice.stageOf(letter.getType());
        if (stage.isEmpty()) {
            // A threshold warning, or a dump.failed whose notification failed: nothing to send
            // on (sending a dump.failed for a dump.failed would loop), so the log is the record.
            LOG.errorf(
                    "dead letter id=%s type=%s dumpid=%s: no step left to report it to; dropped",
                    letter.getId(), letter.getType(), letter.getExtension("dumpid"));
            context.response().setStatusCode(202).end();
            return;
        }
        try {
            Optional<DumpFailed> proved =
                    letters.check(letter, FailureNotice.of(letter, stage.get(), json));
            if (proved.isEmpty()) {
                context.response().setStatusCode(202).end();
                return;
            }
            DumpFailed failed = proved.get();
            URI target =
                    sink.orElseThrow(
                            () ->
                                    FunctionFailure.unavailable(
                                            "dumpId="
                                                    + failed.dumpId()
                                                    + ": K_SINK is not set, so dump.failed cannot"
                                                    + " be sent; bind the functions with a"
                                                    + " SinkBinding",
                                            null));
            CloudEvent event = sender.event(failed);
            sender.send(event, target);
            LOG.warnf(
                    "dumpId=%s NOT saved: %s dead-lettered at step %s (%s); sent %s",
                    failed.dumpId(),
                    letter.getType(),
                    failed.stage(),
                    failed.reason(),
                    event.getId());
            context.response().setStatusCode(202).end();
        } catch (FunctionFailure e) {
            LOG.errorf(
                    "dead letter id=%s type=%s: %s",
                    letter.getId(), letter.getType(), e.getMessage());
            answer(context, e.kind().status(), e.kind().name(), e.getMessage());
        }
    }

    private static Map<String, List<String>> headers(RoutingContext context) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        context.request()
                .headers()
                .forEach(
                        h ->
                                headers.computeIfAbsent(
                                                h.getKey().toLowerCase(Locale.ROOT),
                                                k -> new java.util.ArrayList<>())
                                        .add(h.getValue()));
        return headers;
    }

    private static void answer(RoutingContext context, int status, String kind, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", kind).put("message", message).encode());
    }
}
