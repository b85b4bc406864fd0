package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Knative's bound on chains of replies: the extension {@value #EXTENSION} counts the hops an event
 * may still take through the broker. Subscribers never see it; the broker restores it, one lower,
 * on the reply.
 */
record HopLimit(int limit) {

    /** The extension Knative uses to count the hops a chain of replies may still take. */
    static final String EXTENSION = "knativebrokerttl";

    HopLimit {
        if (limit < 1) {
            throw new IllegalArgumentException("hop limit must be 1 or more, was " + limit);
        }
    }

    /** The hops the event may still take: its counter, at most the limit; the limit without one. */
    int remaining(CloudEvent event) {
        Object ttl = event.getExtension(EXTENSION);
        if (ttl == null) {
            return limit;
        }
        try {
            return Math.min(limit, Integer.parseInt(ttl.toString().trim()));
        } catch (NumberFormatException e) {
            return limit;
        }
    }

    /** The event as subscribers get it, without the counter. */
    static CloudEvent withoutCounter(CloudEvent event) {
        return CloudEventBuilder.from(event).withoutExtension(EXTENSION).build();
    }
}
