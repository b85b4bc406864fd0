package dev.dumpflow.sidecar.emit;

import dev.dumpflow.events.EventSources;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.json.JsonWriter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a payload into a CloudEvent with the attributes the contract fixes: the sidecar's {@code
 * source}, the {@code subject}, the type's {@code dataschema}, JSON data, the {@code dumpid}
 * extension, and the {@code K_CE_OVERRIDES} extensions last. The {@code id} is made here, once, so
 * that every retry of the event carries the same one.
 */
public final class EventComposer {

    private final URI source;
    private final Map<String, String> overrides;
    private final Clock clock;

    /** Composes events from this pod, with these overrides. */
    public EventComposer(PodIdentity pod, Map<String, String> overrides, Clock clock) {
        this.source = EventSources.sidecar(pod);
        this.overrides = Map.copyOf(overrides);
        this.clock = clock;
    }

    /** The event for a payload; see {@link EventSink#emit}. */
    public CloudEvent compose(String type, String subject, String dumpId, Object data) {
        byte[] body;
        try {
            body = JsonWriter.toBytes(data);
        } catch (IllegalArgumentException unserialisable) {
            throw new IllegalArgumentException(
                    "cannot serialise the data of " + type, unserialisable);
        }
        CloudEventBuilder builder =
                CloudEventBuilder.v1()
                        .withId(UUID.randomUUID().toString())
                        .withSource(source)
                        .withType(type)
                        .withSubject(subject)
                        .withTime(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                        .withDataSchema(EventTypes.dataSchema(type))
                        .withDataContentType(EventTypes.DATA_CONTENT_TYPE)
                        .withData(body);
        if (dumpId != null) {
            builder.withExtension(EventTypes.DUMPID_EXTENSION, dumpId);
        }
        overrides.forEach(builder::withExtension);
        return builder.build();
    }
}
