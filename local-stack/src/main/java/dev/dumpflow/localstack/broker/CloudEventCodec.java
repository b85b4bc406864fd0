package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudEvent from HTTP headers and a body, in binary or structured mode, through the
 * CloudEvents SDK, and checks the attributes every event must have.
 */
final class CloudEventCodec {

    private CloudEventCodec() {}

    /**
     * The event of an HTTP message.
     *
     * @param headers the headers, names in lower case
     * @throws IllegalArgumentException saying what is wrong when the message holds no valid event
     */
    static CloudEvent read(Map<String, List<String>> headers, byte[] body) {
        CloudEvent event;
        try {
            event = HttpMessageFactory.createReaderFromMultimap(headers, body).toEvent();
        } catch (RuntimeException e) {
            // The SDK's words may quote the request; they are logged, so shown on one line.
            throw new IllegalArgumentException(
                    "not a valid CloudEvent: " + printable(String.valueOf(e.getMessage())), e);
        }
        if (blank(event.getId())) {
            throw new IllegalArgumentException("not a valid CloudEvent: id is missing");
        }
        if (event.getSource() == null || blank(event.getSource().toString())) {
            throw new IllegalArgumentException("not a valid CloudEvent: source is missing");
        }
        if (blank(event.getType())) {
            throw new IllegalArgumentException("not a valid CloudEvent: type is missing");
        }
        return event;
    }

    /**
     * Refuses an event from a sender whose attributes hold a control character (U+0000–U+001F,
     * U+007F–U+009F), which CloudEvents forbids in its strings, so that no attribute the broker
     * logs or routes on can break a log line. Applied to what arrives at the ingress; the journal
     * reads back what the broker itself stored, as it was.
     *
     * @throws IllegalArgumentException naming the attribute
     */
    static CloudEvent requirePrintable(CloudEvent event) {
        List<String> names = new ArrayList<>(List.of("id", "source", "type", "subject"));
        names.add("datacontenttype");
        names.add("dataschema");
        names.addAll(event.getExtensionNames());
        for (String name : names) {
            String value = EventAttributes.get(event, name);
            int at = value == null ? -1 : control(value);
            if (at >= 0) {
                throw new IllegalArgumentException(
                        "not a valid CloudEvent: the attribute '%s' holds a control character"
                                        .formatted(printable(name))
                                + " (U+%04X), which CloudEvents forbids"
                                        .formatted((int) value.charAt(at)));
            }
        }
        return event;
    }

    /** The index of the first control character of {@code value}, or -1. */
    private static int control(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} with each control character shown as {@code ?}, for a log line. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return shown.toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
