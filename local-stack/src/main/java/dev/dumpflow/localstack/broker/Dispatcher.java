package dev.dumpflow.localstack.broker;

import dev.dumpflow.localstack.broker.BrokerTopology.Subscription;
import dev.dumpflow.localstack.broker.EventDelivery.Attempt;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Delivers one event to one subscription as its delivery spec says: the first attempt, retries on
 * the data-plane's retryable answers with the spec's backoff, and then the dead-letter sink, with
 * the {@code knativeerrorcode}, {@code knativeerrordest} and {@code knativeerrordata} extensions
 * Knative adds.
 */
final class Dispatcher {

    /** Knative truncates the failed response body it puts in {@code knativeerrordata}. */
    static final int ERROR_DATA_MAX_BYTES = 1024;

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final EventDelivery delivery;

    Dispatcher(EventDelivery delivery) {
        this.delivery = delivery;
    }

    /**
     * Delivers the event; blocks the calling (virtual) thread through the backoff.
     *
     * @return the subscriber's reply event, if any; never a dead-letter sink's, as in Knative
     */
    Optional<CloudEvent> deliver(Subscription subscription, CloudEvent event) {
        DeliveryPolicy policy = subscription.delivery();
        Attempt last = attempts(event, subscription.subscriber(), policy, subscription.trigger());
        if (last.accepted()) {
            return last.reply();
        }
        if (Thread.currentThread().isInterrupted()) {
            // The broker is stopping; it says what becomes of the delivery.
            return Optional.empty();
        }
        if (policy.deadLetterSink().isEmpty()) {
            LOG.errorf(
                    "event id=%s dumpid=%s type=%s lost: trigger %s failed (%s) and has no"
                            + " dead-letter sink",
                    event.getId(),
                    EventAttributes.dumpId(event),
                    event.getType(),
                    subscription.trigger(),
                    last.describe());
            return Optional.empty();
        }
        URI sink = policy.deadLetterSink().get();
        LOG.warnf(
                "event id=%s dumpid=%s type=%s dead-lettered to %s: trigger %s failed (%s)",
                event.getId(),
                EventAttributes.dumpId(event),
                event.getType(),
                sink,
                subscription.trigger(),
                last.describe());
        Attempt dead =
                attempts(
                        deadLetter(event, subscription.subscriber(), last),
                        sink,
                        policy,
                        subscription.trigger() + " (dead-letter sink)");
        if (!dead.accepted()) {
            LOG.errorf(
                    "event id=%s dumpid=%s type=%s lost: its dead-letter sink %s failed too (%s)",
                    event.getId(),
                    EventAttributes.dumpId(event),
                    event.getType(),
                    sink,
                    dead.describe());
        } else if (dead.reply().isPresent()) {
            // Knative's dispatcher consumes a dead-letter sink's response and routes nothing on;
            // doing otherwise here would make the local stack work where a cluster does not.
            LOG.warnf(
                    "dead-letter sink %s replied with event type=%s for dumpid=%s; like Knative,"
                            + " the broker drops it: a dead-letter handler sends to K_SINK itself",
                    sink, dead.reply().get().getType(), EventAttributes.dumpId(event));
        }
        return Optional.empty();
    }

    private Attempt attempts(CloudEvent event, URI target, DeliveryPolicy policy, String trigger) {
        Attempt attempt = delivery.post(event, target, policy.timeout());
        for (int retry = 1;
                !attempt.accepted() && attempt.retryable() && retry <= policy.retry();
                retry++) {
            if (Thread.currentThread().isInterrupted()) {
                return attempt; // the broker is stopping: no retry to announce
            }
            var delay = policy.delayBeforeRetry(retry);
            LOG.infof(
                    "event id=%s dumpid=%s to trigger %s: %s, retry %d of %d in %d ms",
                    event.getId(),
                    EventAttributes.dumpId(event),
                    trigger,
                    attempt.describe(),
                    retry,
                    policy.retry(),
                    delay.toMillis());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return attempt;
            }
            attempt = delivery.post(event, target, policy.timeout());
        }
        if (attempt.accepted()) {
            LOG.debugf(
                    "event id=%s dumpid=%s delivered to trigger %s: %d",
                    event.getId(), EventAttributes.dumpId(event), trigger, attempt.status());
        }
        return attempt;
    }

    /** The event as Knative hands it to a dead-letter sink. */
    static CloudEvent deadLetter(CloudEvent event, URI destination, Attempt last) {
        // Like Knative's dispatcher, an attempt without a response reports 500 and why.
        int code = last.error() != null ? 500 : last.status();
        byte[] data =
                last.error() != null
                        ? ("dispatch error: " + last.error()).getBytes(StandardCharsets.UTF_8)
                        : last.body();
        CloudEventBuilder builder =
                CloudEventBuilder.from(event)
                        .withExtension("knativeerrordest", destination.toString())
                        .withExtension("knativeerrorcode", code);
        if (data.length > 0) {
            byte[] kept = Arrays.copyOf(data, Math.min(data.length, ERROR_DATA_MAX_BYTES));
            builder.withExtension("knativeerrordata", Base64.getEncoder().encodeToString(kept));
        }
        return builder.build();
    }
}
