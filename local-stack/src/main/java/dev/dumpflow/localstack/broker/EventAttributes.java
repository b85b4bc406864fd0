package dev.dumpflow.localstack.broker;

import dev.dumpflow.events.EventTypes;
import io.cloudevents.CloudEvent;
import java.time.format.DateTimeFormatter;

/** Reads a CloudEvent's context attribute or extension by name, as a string, for filtering. */
final class EventAttributes {

    private EventAttributes() {}

    /** The attribute's value as a string, or null when the event has no such attribute. */
    static String get(CloudEvent event, String name) {
        Object value =
                switch (name) {
                    case "specversion" -> event.getSpecVersion().toString();
                    case "id" -> event.getId();
                    case "source" -> event.getSource();
                    case "type" -> event.getType();
                    case "subject" -> event.getSubject();
                    case "datacontenttype" -> event.getDataContentType();
                    case "dataschema" -> event.getDataSchema();
                    case "time" ->
                            event.getTime() == null
                                    ? null
                                    : event.getTime()
                                            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    default -> event.getExtension(name);
                };
        return value == null ? null : value.toString();
    }

    /** The {@code dumpid} extension, for log lines; "-" when the event has none. */
    static String dumpId(CloudEvent event) {
        Object dumpId = event.getExtension(EventTypes.DUMPID_EXTENSION);
        return dumpId == null ? "-" : dumpId.toString();
    }
}
