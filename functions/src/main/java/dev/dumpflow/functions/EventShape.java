package dev.dumpflow.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.TimeWindow;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a request is a CloudEvents 1.0 event with JSON data, in binary mode ({@code ce-*}
 * headers, the data as an {@code application/json} body) or structured mode (the whole event as
 * {@code application/cloudevents+json}). Every function of dumpflow takes a JSON object, so
 * anything else is a request that can never succeed; {@link #problem} says why, in words a person
 * can act on, without echoing the payload.
 */
final class EventShape {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    /** Deeper than any dumpflow event; Jackson's own limit (1,000) costs more to reach. */
    private static final int MAX_DEPTH = 64;

    private static final JsonFactory JSON =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build();
    private static final ObjectMapper TREES = new ObjectMapper(JSON);

    private static final String[] REQUIRED = {"id", "source", "type"};

    /** The attributes dumpflow reads, whose headers must hold no control characters. */
    private static final String[] ATTRIBUTES = {
        "id", "source", "type", "subject", "time", "dataschema", "dumpid"
    };

    private EventShape() {}

    /**
     * What is wrong with the request, or empty when it is an event the functions can take.
     *
     * @param header a request header by name, case-insensitive, or null
     */
    static Optional<String> problem(Function<String, String> header, byte[] body) {
        String contentType = header.apply("Content-Type");
        String media = mediaType(contentType);
        if (STRUCTURED.equals(media)) {
            return structured(body);
        }
        if (BATCH.equals(media)) {
            return Optional.of("batched events are not accepted; send one event per request");
        }
        return binary(header, media, body);
    }

    private static Optional<String> binary(
            Function<String, String> header, String media, byte[] body) {
        String specversion = header.apply("ce-specversion");
        if (specversion == null) {
            return Optional.of(
                    "not a CloudEvent: a binary-mode event needs ce-specversion, ce-id, ce-source"
                            + " and ce-type headers; a structured one is sent as "
                            + STRUCTURED);
        }
        if (!"1.0".equals(specversion)) {
            return Optional.of("ce-specversion must be 1.0, was '" + abbreviate(specversion) + "'");
        }
        for (String name : REQUIRED) {
            String value = header.apply("ce-" + name);
            if (value == null || value.isBlank()) {
                return Optional.of("the ce-" + name + " header is missing or blank");
            }
        }
        for (String name : ATTRIBUTES) {
            Optional<String> control =
                    control("ce-" + name + " header", header.apply("ce-" + name));
            if (control.isPresent()) {
                return control;
            }
        }
        Optional<String> time = time(header.apply("ce-time"));
        if (time.isPresent()) {
            return time;
        }
        if (!isJson(media)) {
            return Optional.of(
                    "the data must be application/json, was "
                            + (media == null ? "no Content-Type" : "'" + abbreviate(media) + "'"));
        }
        return jsonObject(body);
    }

    private static Optional<String> structured(byte[] body) {
        JsonNode event;
        try {
            event = TREES.readTree(body);
        } catch (IOException e) {
            return Optional.of("the structured event is not valid JSON: " + reason(e));
        }
        if (event == null || !event.isObject()) {
            return Optional.of("a structured event must be a JSON object");
        }
        JsonNode specversion = event.get("specversion");
        if (specversion == null
                || !specversion.isTextual()
                || !"1.0".equals(specversion.asText())) {
            return Optional.of("specversion must be the string \"1.0\"");
        }
        for (String name : REQUIRED) {
            JsonNode value = event.get(name);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                return Optional.of("the attribute '" + name + "' must be a non-empty string");
            }
        }
        for (Map.Entry<String, JsonNode> attribute : event.properties()) {
            JsonNode value = attribute.getValue();
            if (attribute.getKey().equals("data")) {
                continue;
            }
            if (value.isContainerNode() || value.isNull()) {
                return Optional.of(
                        "the attribute '"
                                + abbreviate(attribute.getKey())
                                + "' must be a string, a number or a boolean");
            }
            Optional<String> control =
                    control(
                            "the attribute '" + abbreviate(attribute.getKey()) + "'",
                            value.asText());
            if (control.isPresent()) {
                return control;
            }
        }
        if (event.has("data_base64")) {
            return Optional.of("data_base64 is not accepted: the data must be a JSON object");
        }
        JsonNode contentType = event.get("datacontenttype");
        if (contentType != null && !isJson(mediaType(contentType.asText()))) {
            return Optional.of(
                    "datacontenttype must be application/json, was '"
                            + abbreviate(contentType.asText())
                            + "'");
        }
        JsonNode time = event.get("time");
        Optional<String> badTime = time(time == null ? null : time.asText());
        if (badTime.isPresent()) {
            return badTime;
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            return Optional.of("the event's data must be a JSON object");
        }
        return Optional.empty();
    }

    /** Reads the body token by token, without building it, down to its last byte. */
    private static Optional<String> jsonObject(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.of("the event's data must be a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return Optional.of("the event's data has more after its JSON object");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the event's data is not valid JSON: " + reason(e));
        }
    }

    private static Optional<String> time(String time) {
        if (time == null) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeException e) {
            return Optional.of(
                    "time must be an RFC 3339 timestamp such as 2026-12-06T05:00:00Z, was '"
                            + abbreviate(time)
                            + "'");
        }
        if (!TimeWindow.contains(instant)) {
            return Optional.of(
                    "time must lie between %s and %s, was '%s'"
                            .formatted(TimeWindow.EARLIEST, TimeWindow.LATEST, abbreviate(time)));
        }
        return Optional.empty();
    }

    /**
     * CloudEvents forbids control characters (U+0000–U+001F, U+007F–U+009F) in its strings; one in
     * an attribute would reach log lines and keys.
     */
    private static Optional<String> control(String what, String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return Optional.of(
                        "%s holds a control character (U+%04X), which CloudEvents forbids"
                                .formatted(what, (int) value.charAt(i)));
            }
        }
        return Optional.empty();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String media = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return media.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String media) {
        return media != null && (media.equals("application/json") || media.endsWith("+json"));
    }

    /**
     * Jackson's own words, with what it quotes of the payload blanked out (it may be a token), and
     * where in the body it stopped.
     */
    private static String reason(IOException e) {
        if (!(e instanceof JsonProcessingException json)) {
            return abbreviate(String.valueOf(e.getMessage()));
        }
        String words = String.valueOf(json.getOriginalMessage()).replaceAll("'[^']*'", "'...'");
        String at =
                json.getLocation() == null
                        ? ""
                        : " (at byte " + json.getLocation().getByteOffset() + ")";
        return abbreviate(words.lines().findFirst().orElse("")) + at;
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 80 ? flat : flat.substring(0, 80) + "...";
    }
}
