package dev.dumpflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SchemaContractTest {

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static final JsonSchemaFactory SCHEMAS =
            JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    builder ->
                            builder.schemaMappers(
                                    mappers ->
                                            mappers.mapPrefix(
                                                    "https://dumpflow.dev/schemas/v1/",
                                                    "classpath:schemas/v1/")));

    static final java.util.List<String> TYPES = EventTypes.ALL;

    static Set<ValidationMessage> validate(String type, Object json) {
        JsonSchema schema =
                SCHEMAS.getSchema(
                        SchemaLocation.of(EventTypes.dataSchema(type).toString()),
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        return schema.validate(JSON.valueToTree(json));
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void everyRecordSerialisesToJsonItsSchemaAccepts(String type) {
        assertThat(validate(type, Samples.byType().get(type))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void everySchemaRejectsAPayloadWithoutItsKeyField(String type) {
        ObjectNode broken = JSON.valueToTree(Samples.byType().get(type));
        broken.remove(
                switch (type) {
                    case EventTypes.MEMORY_THRESHOLD_CROSSED -> "pid";
                    case EventTypes.CONTAINER_OOMKILLED -> "finishedAt";
                    default -> "dumpId";
                });
        assertThat(validate(type, broken)).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void anOomKillWithoutEvidenceWritesItsMissingDumpAndThresholdAsNull() {
        ContainerOomKilled sample = Samples.containerOomKilled();
        ContainerOomKilled none =
                new ContainerOomKilled(
                        sample.pod(),
                        sample.container(),
                        null,
                        137,
                        sample.finishedAt(),
                        null,
                        null,
                        new ContainerOomKilled.Verdict(
                                ContainerOomKilled.Verdict.Kind.UNKNOWN,
                                null,
                                null,
                                "No dump was stored before the kill."));

        ObjectNode written = JSON.valueToTree(none);

        assertThat(written.has("lastDump")).isTrue();
        assertThat(written.get("lastDump").isNull()).isTrue();
        assertThat(written.get("lastThreshold").isNull()).isTrue();
        assertThat(written.has("limitBytes")).isFalse();
        assertThat(validate(EventTypes.CONTAINER_OOMKILLED, none)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void anOomKillSchemaRefusesAHeapVerdictWithoutItsFiguresAndAnUnknownKind() {
        ObjectNode noFigures = JSON.valueToTree(Samples.containerOomKilled());
        ((ObjectNode) noFigures.get("verdict")).remove("heapBytes");
        assertThat(validate(EventTypes.CONTAINER_OOMKILLED, noFigures)).isNotEmpty();

        ObjectNode unknownKind = JSON.valueToTree(Samples.containerOomKilled());
        ((ObjectNode) unknownKind.get("verdict")).put("kind", "metaspace");
        assertThat(validate(EventTypes.CONTAINER_OOMKILLED, unknownKind)).isNotEmpty();

        ObjectNode missingNull = JSON.valueToTree(Samples.containerOomKilled());
        missingNull.remove("lastThreshold");
        assertThat(validate(EventTypes.CONTAINER_OOMKILLED, missingNull)).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void everySchemaRejectsAnUnknownField(String type) {
        ObjectNode broken = JSON.valueToTree(Samples.byType().get(type));
        broken.put("surprise", true);
        assertThat(validate(type, broken)).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void everySchemaIsOnTheClasspathUnderItsDataSchemaName(String type) {
        assertThat(getClass().getClassLoader().getResource(EventTypes.schemaResource(type)))
                .isNotNull();
    }

    @org.junit.jupiter.api.Test
    void schemaRejectsAHostileDumpIdAndAnUnknownFormat() {
        ObjectNode closed = JSON.valueToTree(Samples.dumpClosed());
        closed.put("dumpId", "../../etc/passwd");
        assertThat(validate(EventTypes.DUMP_CLOSED, closed)).isNotEmpty();

        ObjectNode unknownFormat = JSON.valueToTree(Samples.dumpClosed());
        unknownFormat.put("format", "zip");
        assertThat(validate(EventTypes.DUMP_CLOSED, unknownFormat)).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void anIndexRecordWithGrowthIsAcceptedAndWritesTheIntervalAsAnIsoDuration() {
        DumpIndexed indexed = Samples.dumpIndexedWithGrowth();
        assertThat(validate(EventTypes.DUMP_INDEXED, indexed)).isEmpty();
        ObjectNode growth = (ObjectNode) JSON.valueToTree(indexed).at("/record/growth");
        assertThat(growth.get("interval").asText()).isEqualTo("PT2H");
        assertThat(growth.get("previousClosedAt").asText()).isEqualTo("2026-11-22T01:49:12Z");
        assertThat(growth.at("/classes/0/monotonic").asBoolean()).isTrue();
        assertThat(growth.at("/classes/2/instancesDelta").asLong()).isEqualTo(-2);

        Growth g = Samples.growth();
        Growth fraction =
                new Growth(
                        g.previousDumpId(),
                        g.previousClosedAt(),
                        java.time.Duration.ofMillis(7_200_345),
                        g.classes());
        IndexRecord record = Samples.indexRecord().withGrowth(fraction);
        DumpIndexed odd = new DumpIndexed(record.dumpId(), StorageLayout.indexKey(record), record);
        assertThat(JSON.valueToTree(odd).at("/record/growth/interval").asText())
                .isEqualTo("PT2H1S");
        assertThat(validate(EventTypes.DUMP_INDEXED, odd)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theSchemaRejectsGrowthWithoutItsPreviousDumpOrWithAnUnknownOrMalformedField() {
        ObjectNode noPrevious = JSON.valueToTree(Samples.dumpIndexedWithGrowth());
        ((ObjectNode) noPrevious.at("/record/growth")).remove("previousDumpId");
        assertThat(validate(EventTypes.DUMP_INDEXED, noPrevious)).isNotEmpty();

        ObjectNode surprise = JSON.valueToTree(Samples.dumpIndexedWithGrowth());
        ((ObjectNode) surprise.at("/record/growth/classes/0")).put("surprise", 1);
        assertThat(validate(EventTypes.DUMP_INDEXED, surprise)).isNotEmpty();

        ObjectNode badInterval = JSON.valueToTree(Samples.dumpIndexedWithGrowth());
        ((ObjectNode) badInterval.at("/record/growth")).put("interval", "two hours");
        assertThat(validate(EventTypes.DUMP_INDEXED, badInterval)).isNotEmpty();

        ObjectNode fractional = JSON.valueToTree(Samples.dumpIndexedWithGrowth());
        ((ObjectNode) fractional.at("/record/growth/classes/1")).put("bytesDelta", 1.5);
        assertThat(validate(EventTypes.DUMP_INDEXED, fractional)).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void anIndexRecordWithoutGrowthStaysValid() {
        ObjectNode indexed = JSON.valueToTree(Samples.dumpIndexedWithGrowth());
        ((ObjectNode) indexed.get("record")).remove("growth");
        assertThat(validate(EventTypes.DUMP_INDEXED, indexed)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void recordsRoundTripThroughJson() throws Exception {
        for (var entry : Samples.byType().entrySet()) {
            String json = JSON.writeValueAsString(entry.getValue());
            Object back = JSON.readValue(json, entry.getValue().getClass());
            assertThat(back).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        DumpIndexed withGrowth = Samples.dumpIndexedWithGrowth();
        assertThat(JSON.readValue(JSON.writeValueAsString(withGrowth), DumpIndexed.class))
                .isEqualTo(withGrowth);
    }

    @org.junit.jupiter.api.Test
    void aRedactedRecordCarriesItsRedactionAndTheSchemaTakesIt() {
        DumpArchived a = Samples.dumpArchived();
        DumpArchived redacted = Samples.dumpArchivedRedacted(false);
        ObjectNode tree = JSON.valueToTree(redacted);
        assertThat(tree.at("/redaction/mode").asText()).isEqualTo("strings");
        assertThat(tree.at("/redaction/originalKept").asBoolean(true)).isFalse();
        assertThat(validate(EventTypes.DUMP_ARCHIVED, redacted)).isEmpty();
        assertThat(JSON.valueToTree(a).has("redaction")).isFalse();
        ((ObjectNode) tree.get("redaction")).put("mode", "none");
        assertThat(validate(EventTypes.DUMP_ARCHIVED, tree)).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void theIndexRecordCarriesTheArchivesRedactionThroughEnrichmentIntoDumpIndexed()
            throws Exception {
        IndexRecord record =
                IndexRecord.from(Samples.dumpArchivedRedacted(true))
                        .withKubernetes(Samples.indexRecord().kubernetes())
                        .withGrowth(Samples.growth());
        assertThat(record.redaction())
                .isEqualTo(new Redaction("strings", Samples.ORIGINAL_SHA256, true));
        DumpIndexed indexed =
                new DumpIndexed(record.dumpId(), StorageLayout.indexKey(record), record);
        ObjectNode tree = JSON.valueToTree(indexed);
        assertThat(tree.at("/record/redaction/mode").asText()).isEqualTo("strings");
        assertThat(tree.at("/record/redaction/originalKept").asBoolean(false)).isTrue();
        assertThat(validate(EventTypes.DUMP_INDEXED, indexed)).isEmpty();
        assertThat(JSON.readValue(JSON.writeValueAsString(indexed), DumpIndexed.class))
                .isEqualTo(indexed);
        assertThat(JSON.valueToTree(Samples.dumpIndexed()).at("/record").has("redaction"))
                .isFalse();
        ((ObjectNode) tree.at("/record/redaction")).put("mode", "none");
        assertThat(validate(EventTypes.DUMP_INDEXED, tree)).isNotEmpty();
    }
}
