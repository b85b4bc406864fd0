package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
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
            throw new IllegalArgumentException("not a valid CloudEvent: " + e.getMessage(), e);
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

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
