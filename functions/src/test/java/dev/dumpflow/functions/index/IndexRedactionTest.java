package dev.dumpflow.functions.index;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The index record's {@code redaction} comes from the archive's stored record, never from the
 * {@code dump.archived} event, which only names the dump.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class IndexRedactionTest {

    private static final Redaction KEPT =
            new Redaction("primitives", Samples.ORIGINAL_SHA256, true);

    @Inject S3Client s3;
    @Inject ObjectMapper json;

    @Test
    void copiesTheStoredRedactionIntoTheIndexRecordAndTheReply() throws Exception {
        DumpArchived stored = ArchivedDumps.archived("20261122T034912Z-idxred001", KEPT);

        DumpIndexed indexed = index(stored, stored, "ce-idxred-1");

        assertThat(indexed.record().redaction()).isEqualTo(KEPT);
        JsonNode record = storedIndexRecord(indexed);
        assertThat(record.at("/redaction/mode").asText()).isEqualTo("primitives");
        assertThat(record.at("/redaction/originalSha256").asText())
                .isEqualTo(Samples.ORIGINAL_SHA256);
        assertThat(record.at("/redaction/originalKept").asBoolean(false)).isTrue();
    }

    @Test
    void takesTheRedactionFromTheStoredRecordWhenTheEventDropsIt() throws Exception {
        DumpArchived stored = ArchivedDumps.archived("20261122T034912Z-idxred002", KEPT);
        DumpArchived claimed = ArchivedDumps.archived(stored.dumpId(), null);

        DumpIndexed indexed = index(stored, claimed, "ce-idxred-2");

        assertThat(indexed.record().redaction()).isEqualTo(KEPT);
        assertThat(storedIndexRecord(indexed).at("/redaction/mode").asText())
                .isEqualTo("primitives");
    }

    @Test
    void writesNoRedactionForADumpStoredAsFetchedWhateverTheEventClaims() throws Exception {
        DumpArchived stored = ArchivedDumps.archived("20261122T034912Z-idxred003", null);
        DumpArchived claimed = ArchivedDumps.archived(stored.dumpId(), KEPT);

        DumpIndexed indexed = index(stored, claimed, "ce-idxred-3");

        assertThat(indexed.record().redaction()).isNull();
        assertThat(storedIndexRecord(indexed).has("redaction")).isFalse();
    }

    private DumpIndexed index(DumpArchived stored, DumpArchived claimed, String id)
            throws Exception {
        RecordedDumps.record(s3, json, stored);
        byte[] reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", id)
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .header("ce-subject", claimed.dumpId())
                        .header("ce-dumpid", claimed.dumpId())
                        .body(json.writeValueAsBytes(claimed))
                        .post("/")
                        .then()
                        .statusCode(200)
                        .header("ce-type", EventTypes.DUMP_INDEXED)
                        .extract()
                        .body()
                        .asByteArray();
        return json.readValue(reply, DumpIndexed.class);
    }

    private JsonNode storedIndexRecord(DumpIndexed indexed) throws Exception {
        return json.readTree(
                s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(indexed.indexKey()))
                        .asByteArray());
    }
}
