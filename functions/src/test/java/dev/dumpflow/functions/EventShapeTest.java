package dev.dumpflow.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EventShapeTest {

    private static final String DATA = "{\"dumpId\":\"d1\",\"nested\":{\"a\":[1,2]}}";

    private static Optional<String> binary(Map<String, String> overrides, String body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(
                Map.of(
                        "ce-specversion", "1.0",
                        "ce-id", "1",
                        "ce-source", "/s",
                        "ce-type", "dev.dumpflow.dump.closed",
                        "Content-Type", "application/json; charset=utf-8"));
        headers.putAll(overrides);
        headers.values().removeIf(String::isEmpty);
        return EventShape.problem(headers::get, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> structured(String event) {
        return EventShape.problem(
                name -> name.equalsIgnoreCase("Content-Type") ? EventShape.STRUCTURED : null,
                event.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesABinaryEventWithAJsonObject() {
        assertThat(binary(Map.of(), DATA)).isEmpty();
        assertThat(binary(Map.of("ce-time", "2026-12-06T05:00:00.123Z"), DATA)).isEmpty();
    }

    @Test
    void takesAStructuredEventWithAJsonObject() {
        assertThat(
                        structured(
                                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":"
                                        + "\"t\",\"dumpid\":\"d1\",\"data\":"
                                        + DATA
                                        + "}"))
                .isEmpty();
    }

    @Test
    void refusesBinaryEventsThatCanNeverBeRead() {
        assertThat(binary(Map.of("ce-specversion", ""), DATA))
                .hasValueSatisfying(p -> assertThat(p).contains("ce-specversion"));
        assertThat(binary(Map.of("ce-specversion", "0.3"), DATA)).isPresent();
        assertThat(binary(Map.of("ce-source", " "), DATA))
                .hasValueSatisfying(p -> assertThat(p).contains("ce-source"));
        assertThat(binary(Map.of("ce-time", "yesterday"), DATA)).isPresent();
        assertThat(binary(Map.of("Content-Type", "text/plain"), DATA)).isPresent();
        assertThat(binary(Map.of("Content-Type", ""), DATA)).isPresent();
        assertThat(binary(Map.of(), DATA.substring(0, 10))).isPresent();
        assertThat(binary(Map.of(), DATA + "{}")).isPresent();
        assertThat(binary(Map.of(), "[" + DATA + "]")).isPresent();
        assertThat(binary(Map.of(), "[".repeat(100) + "]".repeat(100))).isPresent();
        assertThat(binary(Map.of(), "{\"a\":".repeat(100) + "1" + "}".repeat(100))).isPresent();
    }

    @Test
    void refusesStructuredEventsThatCanNeverBeRead() {
        String head = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"";
        assertThat(structured(head + "}")).hasValueSatisfying(p -> assertThat(p).contains("data"));
        assertThat(structured(head + ",\"data\":\"text\"}")).isPresent();
        assertThat(structured(head + ",\"data_base64\":\"e30=\"}")).isPresent();
        assertThat(structured(head + ",\"datacontenttype\":\"text/xml\",\"data\":{}}")).isPresent();
        assertThat(structured(head + ",\"time\":\"noon\",\"data\":{}}")).isPresent();
        assertThat(structured(head + ",\"subject\":{},\"data\":{}}")).isPresent();
        assertThat(structured(head.replace("\"1.0\"", "1.0") + ",\"data\":{}}")).isPresent();
        assertThat(structured(head.replace("\"id\":\"1\"", "\"id\":null") + ",\"data\":{}}"))
                .isPresent();
        assertThat(structured("[" + head + ",\"data\":{}}]")).isPresent();
        assertThat(
                        EventShape.problem(
                                name ->
                                        name.equalsIgnoreCase("Content-Type")
                                                ? EventShape.BATCH
                                                : null,
                                "[]".getBytes(StandardCharsets.UTF_8)))
                .isPresent();
    }

    @Test
    void quotesNothingOfThePayloadInItsReason() {
        assertThat(binary(Map.of(), "{\"token\": s3cr3tt0k3n}"))
                .hasValueSatisfying(p -> assertThat(p).doesNotContain("s3cr3tt0k3n"));
    }

    @Test
    void refusesAttributesWithControlCharactersWhichCloudEventsForbids() {
        assertThat(binary(Map.of("ce-source", "/s\u001b[2J"), DATA))
                .hasValueSatisfying(p -> assertThat(p).contains("ce-source", "U+001B"));
        assertThat(binary(Map.of("ce-dumpid", "d\u0085"), DATA))
                .hasValueSatisfying(p -> assertThat(p).contains("ce-dumpid"));
        assertThat(
                        structured(
                                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":"
                                        + "\"t\",\"subject\":\"a\\nb\",\"data\":"
                                        + DATA
                                        + "}"))
                .hasValueSatisfying(p -> assertThat(p).contains("'subject'", "U+000A"));
    }

    @Test
    void refusesATimeOutsideTheYears1970To9999() {
        assertThat(binary(Map.of("ce-time", "+999999999-12-31T23:59:59Z"), DATA))
                .hasValueSatisfying(p -> assertThat(p).contains("time must lie between"));
        assertThat(binary(Map.of("ce-time", "+1000000000-12-31T23:59:59Z"), DATA)).isPresent();
        assertThat(binary(Map.of("ce-time", "1969-12-31T23:59:59Z"), DATA)).isPresent();
        assertThat(binary(Map.of("ce-time", "9999-12-31T23:59:59Z"), DATA)).isEmpty();
    }
}
