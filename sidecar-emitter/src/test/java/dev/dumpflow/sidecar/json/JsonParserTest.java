package dev.dumpflow.sidecar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dumpflow.events.Samples;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {

    private final ObjectMapper jackson =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Parsed here and written again here, the document means to Jackson what it meant before. */
    private void roundTripsAsJacksonReadsIt(String document) throws Exception {
        String again = JsonWriter.toJson(JsonParser.parse(document));
        assertThat(jackson.readTree(again)).isEqualTo(jackson.readTree(document));
    }

    @Test
    void roundTripsDocumentsAsJacksonReadsThem() throws Exception {
        roundTripsAsJacksonReadsIt(
                " { \"a\" : [1, -2, 3.25, -0.5e3, 1E2, true, false, null, \"s\"],"
                        + " \"nested\": {\"deeper\": {\"list\": [[], {}, [{}]]}},"
                        + " \"big\": 123456789012345678901234567890, \"neg\": -9223372036854775808 }\n");
        roundTripsAsJacksonReadsIt("\"just a string\"");
        roundTripsAsJacksonReadsIt("[]");
        roundTripsAsJacksonReadsIt(
                new String(JsonWriter.toBytes(Samples.dumpClosed()), StandardCharsets.UTF_8));
        roundTripsAsJacksonReadsIt(jackson.writeValueAsString(Samples.byType()));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() throws Exception {
        String document =
                "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u00E9 \\ud83d\\ude00 \\u0000\"";
        assertThat(JsonParser.parse(document))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t éé \uD83D\uDE00 \u0000")
                .isEqualTo(jackson.readValue(document, String.class));
        roundTripsAsJacksonReadsIt(document);
    }

    @Test
    void readsUnicodeFromUtf8Bytes() {
        String text = "{\"name\":\"café 中文 \uD83D\uDE00\"}";
        assertThat(JsonParser.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("name", "café 中文 \uD83D\uDE00"));
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "\"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> JsonParser.parse(latin1))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void readsIntegersAsLongsUntilTheyOutgrowThem() {
        assertThat(JsonParser.parse("[0, -7, 9223372036854775807, 9223372036854775808, 1.0, 2e3]"))
                .isEqualTo(
                        Arrays.asList(
                                0L,
                                -7L,
                                Long.MAX_VALUE,
                                new BigInteger("9223372036854775808"),
                                new BigDecimal("1.0"),
                                new BigDecimal("2e3")));
    }

    @Test
    void keepsMembersInDocumentOrder() {
        Map<String, Object> object = JsonParser.parseObject("{\"b\":1,\"a\":2,\"c\":null}");
        assertThat(object).isInstanceOf(LinkedHashMap.class);
        assertThat(object.keySet()).containsExactly("b", "a", "c");
        assertThat(object).containsEntry("c", null);
    }

    @Test
    void refusesMalformedDocumentsSayingWhere() {
        Map<String, Integer> offsets = new LinkedHashMap<>();
        offsets.put("", 0);
        offsets.put("   ", 3);
        offsets.put("{\"a\":1,}", 7);
        offsets.put("[1,]", 3);
        offsets.put("[01]", 2);
        offsets.put("[-]", 2);
        offsets.put("[1.]", 3);
        offsets.put("[1e]", 3);
        offsets.put("{\"a\" 1}", 5);
        offsets.put("{a:1}", 1);
        offsets.put("// c\n{}", 0);
        offsets.put("\"open", 5);
        offsets.put("\"tab\there\"", 4);
        offsets.put("\"\\x\"", 1);
        offsets.put("\"\\u12g4\"", 5);
        offsets.put("tru", 0);
        offsets.put("{} {}", 3);
        offsets.put("{\"a\":1,\"a\":2}", 7);
        offsets.put("NaN", 0);
        offsets.forEach(
                (document, offset) ->
                        assertThatThrownBy(() -> JsonParser.parse(document))
                                .as(document)
                                .isInstanceOfSatisfying(
                                        MalformedJsonException.class,
                                        e -> assertThat(e.offset()).isEqualTo(offset)));
    }

    @Test
    void refusesDuplicateMembersNamingThem() {
        assertThatThrownBy(() -> JsonParser.parse("{\"pid\":1,\"pid\":2}"))
                .hasMessageContaining("duplicate member \"pid\"");
    }

    @Test
    void acceptsNestingToItsLimitAndNoDeeper() {
        String atLimit = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertThat(JsonParser.parse(atLimit)).isInstanceOf(List.class);
        String deeper = "[" + atLimit + "]";
        assertThatThrownBy(() -> JsonParser.parse(deeper))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("deeper than " + JsonParser.MAX_DEPTH);
        String deepObjects =
                "{\"a\":".repeat(JsonParser.MAX_DEPTH + 1)
                        + "1"
                        + "}".repeat(JsonParser.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonParser.parse(deepObjects))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThatThrownBy(() -> JsonParser.parseObject("[1]"))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("not a JSON object");
    }
}
