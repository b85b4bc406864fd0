package dev.dumpflow.sidecar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.events.Samples;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jackson, configured as the sidecar used it, is the oracle for every byte written here. */
class JsonWriterTest {

    private final ObjectMapper jackson =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private void writesAsJacksonDoes(Object value) throws Exception {
        assertThat(new String(JsonWriter.toBytes(value), StandardCharsets.UTF_8))
                .isEqualTo(new String(jackson.writeValueAsBytes(value), StandardCharsets.UTF_8));
    }

    @Test
    void escapesQuotesBackslashesAndEveryControlCharacterAsJacksonDoes() throws Exception {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            ascii.append(c);
        }
        writesAsJacksonDoes(ascii.toString());
        writesAsJacksonDoes("a \"quoted\" C:\\path/with/slashes\n\ttab");
        assertThat(JsonWriter.toJson("\u0001\u001f")).isEqualTo("\"\\u0001\\u001F\"");
    }

    @Test
    void writesUnicodeAsUtf8RatherThanEscapes() throws Exception {
        writesAsJacksonDoes("café 中文 line\u2028separator \u00A0 \u007F");
        // Outside the BMP, Jackson escapes the surrogate pair (unless told to combine it); plain
        // UTF-8 is as valid, shorter, and reads back to the same string.
        String text = "emoji \uD83D\uDE00 and 中文";
        byte[] written = JsonWriter.toBytes(text);
        assertThat(written).isEqualTo(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
        assertThat(jackson.readValue(written, String.class)).isEqualTo(text);
    }

    @Test
    void writesNumbersAsJacksonDoes() throws Exception {
        writesAsJacksonDoes(
                Arrays.asList(
                        0,
                        -1,
                        Integer.MAX_VALUE,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        (short) 7,
                        (byte) -8,
                        new BigInteger("123456789012345678901234567890"),
                        new BigDecimal("1.5"),
                        new BigDecimal("-0.001"),
                        0.1,
                        -0.0,
                        1e300,
                        4.9e-324,
                        1.1f,
                        123456789.0));
    }

    @Test
    void refusesNumbersJsonCannotHold() {
        assertThatThrownBy(() -> JsonWriter.toJson(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> JsonWriter.toJson(List.of(Float.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
    }

    @Test
    void writesTheContractsRecordsAsJacksonDoes() throws Exception {
        writesAsJacksonDoes(Samples.dumpClosed());
        writesAsJacksonDoes(Samples.thresholdCrossed());
        writesAsJacksonDoes(Samples.pod());
    }

    @Test
    void leavesOutNullComponentsOfRecordsThatAskForIt() throws Exception {
        PodIdentity pod =
                new PodIdentity(
                        "shop",
                        "cart-7d9f",
                        null,
                        null,
                        "app",
                        new PodIdentity.Workload("Deployment", "cart"),
                        Map.of("app", "cart"));
        DumpClosed closed =
                new DumpClosed(
                        "20261122T034912000Z-0123456789ab",
                        "java_pid1.hprof",
                        12,
                        Instant.parse("2026-11-22T03:49:12.123456789Z"),
                        DumpFormat.HPROF_GZ,
                        DumpCause.MANUAL,
                        null,
                        new FetchLocation(
                                URI.create("http://10.0.0.1:8787/dumps/x?a=b&c=%20"),
                                "tok.en+/=",
                                Instant.EPOCH),
                        pod);
        writesAsJacksonDoes(closed);
        assertThat(JsonWriter.toJson(closed)).doesNotContain("\"pid\"").doesNotContain("uid");
        writesAsJacksonDoes(
                new MemoryThresholdCrossed(
                        42,
                        "java -Dq=\"x\"\n -jar app.jar",
                        ProcessRuntime.JVM,
                        10,
                        null,
                        5,
                        "80%",
                        null,
                        null,
                        pod));
    }

    record Plain(String name, Integer count) {}

    @Test
    void keepsNullComponentsOfRecordsThatDoNotAsk() throws Exception {
        writesAsJacksonDoes(new Plain(null, null));
        assertThat(JsonWriter.toJson(new Plain(null, 3))).isEqualTo("{\"name\":null,\"count\":3}");
    }

    enum Colour {
        RED,
        DARK_BLUE
    }

    @Test
    void writesEnumsByTheirJsonValueElseTheirName() throws Exception {
        writesAsJacksonDoes(List.of(DumpFormat.HPROF_GZ, ProcessRuntime.DOTNET, DumpCause.MANUAL));
        writesAsJacksonDoes(List.of(Colour.RED, Colour.DARK_BLUE));
        assertThat(JsonWriter.toJson(DumpFormat.HPROF_GZ)).isEqualTo("\"hprof-gz\"");
    }

    @Test
    void nestsMapsListsAndArraysInOrder() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", List.of(1, List.of(), Map.of()));
        map.put("a", new Object[] {"x", null, true, false});
        map.put("nothing", null);
        map.put("when", List.of(Instant.parse("2026-01-02T03:04:05.006Z"), Instant.EPOCH));
        List<Object> deep = new ArrayList<>();
        deep.add(map);
        deep.add(new LinkedHashMap<>(map));
        writesAsJacksonDoes(deep);
    }

    @Test
    void refusesWhatItCannotWriteNamingTheType() {
        assertThatThrownBy(() -> JsonWriter.toJson(Map.of(1, "one")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys are strings");
        assertThatThrownBy(() -> JsonWriter.toJson(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void refusesNestingDeeperThanItsParserAccepts() {
        Object value = "leaf";
        for (int i = 0; i <= JsonParser.MAX_DEPTH + 1; i++) {
            value = List.of(value);
        }
        Object tooDeep = value;
        assertThatThrownBy(() -> JsonWriter.toJson(tooDeep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper");
    }
}
