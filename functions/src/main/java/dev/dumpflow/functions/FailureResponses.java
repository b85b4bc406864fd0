package dev.dumpflow.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The one place where failures become HTTP statuses. Funqy hands every exception of a function to
 * Vert.x as a routing failure; this answers it with the status of its {@link FunctionFailure.Kind},
 * or 500 for anything unexpected, so that the Broker retries only what can succeed later.
 */
@ApplicationScoped
public class FailureResponses {

    private static final Logger LOG = Logger.getLogger(FailureResponses.class);

    void install(@Observes Router router) {
        router.route().failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        if (context.response().headWritten()) {
            return;
        }
        FunctionFailure failure = find(context.failure());
        if (failure == null && unreadableData(context.failure())) {
            failure = FunctionFailure.badEvent(dataProblem(context.failure()));
        }
        int status;
        String kind;
        String message;
        if (failure != null) {
            status = failure.kind().status();
            kind = failure.kind().name();
            message = failure.getMessage();
        } else if (context.failure() == null && context.statusCode() >= 400) {
            // Funqy's own refusals: unparseable JSON, an unmapped ce-type, a wrong media type.
            // Funqy says 404 for a type no function takes, but the Knative data plane retries 404:
            // an event of an unknown type can never succeed, so it is answered 400.
            status = context.statusCode() == 404 ? 400 : context.statusCode();
            kind = "BAD_EVENT";
            message =
                    context.statusCode() == 404
                            ? "no function takes events of this type; see EventTypes for the"
                                    + " contract's types"
                            : "the request is not an event this service accepts";
        } else {
            status = 500;
            kind = "INTERNAL";
            message = "unexpected error; see the function's log";
            LOG.errorf(context.failure(), "unexpected failure on %s", context.request().path());
        }
        if (status >= 500) {
            LOG.warnf("answering %d (%s), the Broker will retry: %s", status, kind, message);
        } else {
            LOG.infof("answering %d (%s), not retryable: %s", status, kind, message);
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", kind).put("message", message).encode());
    }

    /**
     * Data that does not bind to the function's input type (bad JSON, a missing or invalid field
     * refused by a record's compact constructor) reaches here as Jackson's exception, which Funqy
     * may wrap in an {@link java.io.UncheckedIOException}, or as Vert.x's {@link DecodeException}:
     * the event can never succeed, so it is a bad event, wherever in the chain it sits.
     */
    private static boolean unreadableData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException || t instanceof DecodeException) {
                return true;
            }
        }
        return false;
    }

    /** Jackson's own words, without the location dump that may echo the whole payload. */
    private static String dataProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DecodeException) {
                return "the event is not valid JSON";
            }
            if (t instanceof JsonProcessingException json) {
                String why = json.getOriginalMessage();
                if (json.getCause() instanceof IllegalArgumentException invalid) {
                    why = invalid.getMessage();
                }
                return "the event's data does not fit its type: " + why;
            }
        }
        return "the event's data does not fit its type";
    }

    private static FunctionFailure find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FunctionFailure found) {
                return found;
            }
        }
        return null;
    }
}
