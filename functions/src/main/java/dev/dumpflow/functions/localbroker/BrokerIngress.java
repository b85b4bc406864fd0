package dev.dumpflow.functions.localbroker;

import io.cloudevents.CloudEvent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The HTTP ingress of the local broker, at {@code POST /brokers/{namespace}/{broker}}, answering as
 * the Knative data-plane contract says: 202 when accepted, 400 when the request holds no valid
 * CloudEvent (binary or structured), 404 for a Broker the manifests do not define, 405 for a method
 * other than POST, 429 when too many deliveries are pending, and 503 when its journal could not
 * store the event. It runs on a worker thread: a durable broker answers 202 only once the event is
 * on disk.
 */
public final class BrokerIngress implements Handler<RoutingContext> {

    /** The path of the ingress, with its two parameters. */
    public static final String PATH = "/brokers/:namespace/:name";

    /** Events are small JSON documents; anything larger is refused before it is buffered. */
    static final long MAX_EVENT_BYTES = 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(BrokerIngress.class);

    private final LocalBroker broker;

    private BrokerIngress(LocalBroker broker) {
        this.broker = broker;
    }

    /** Installs the ingress of a broker on a router, ahead of the router's other routes. */
    public static void install(Router router, LocalBroker broker) {
        router.route(PATH)
                .order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_EVENT_BYTES))
                .blockingHandler(new BrokerIngress(broker), false);
    }

    @Override
    public void handle(RoutingContext context) {
        if (context.request().method() != HttpMethod.POST) {
            context.response().putHeader("Allow", "POST");
            answer(context, 405, "METHOD_NOT_ALLOWED", "a broker accepts events with POST only");
            return;
        }
        String namespace = context.pathParam("namespace");
        String name = context.pathParam("name");
        CloudEvent event;
        try {
            Buffer body = context.body().buffer();
            event =
                    CloudEventCodec.read(
                            headers(context), body == null ? new byte[0] : body.getBytes());
        } catch (IllegalArgumentException e) {
            LOG.infof("broker %s/%s refused a request: %s", namespace, name, e.getMessage());
            answer(context, 400, "BAD_EVENT", e.getMessage());
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
                context.response().setStatusCode(202).end();
            }
            case UNKNOWN_BROKER ->
                    answer(
                            context,
                            404,
                            "NOT_FOUND",
                            "no Broker " + namespace + "/" + name + " in the manifests");
            case OVERLOADED -> {
                context.response().putHeader("Retry-After", "1");
                answer(context, 429, "OVERLOADED", "too many deliveries pending; retry later");
            }
            case NOT_STORED -> {
                context.response().putHeader("Retry-After", "1");
                answer(
                        context,
                        503,
                        "NOT_STORED",
                        "the broker could not store the event; retry later");
            }
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
                                                k -> new ArrayList<>())
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
