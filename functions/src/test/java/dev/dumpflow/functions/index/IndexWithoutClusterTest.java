package dev.dumpflow.functions.index;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@TestProfile(IndexWithoutClusterTest.NoCluster.class)
class IndexWithoutClusterTest {

    /** An API server address where nothing listens: what a function outside a cluster meets. */
    public static class NoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // retry-after 0: every event asks again, so the test proves the line is logged once.
            return Map.of(
                    "dumpflow.kubernetes.enabled", "true",
                    "dumpflow.kubernetes.api-server-url", "http://127.0.0.1:1/",
                    "dumpflow.kubernetes.retry-after", "0s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }
    }

    @Inject ObjectMapper json;
    @Inject S3Client s3;

    @Test
    void indexesWithoutEnrichmentAndSaysSoOnceWhenNoClusterAnswers() throws Exception {
        try (LogCapture log = LogCapture.install()) {
            DumpIndexed first = index(ArchivedDumps.archived("20261122T034912Z-nocluster1"));
            DumpIndexed second = index(ArchivedDumps.archived("20261122T034912Z-nocluster2"));

            assertThat(first.record().kubernetes()).isNull();
            assertThat(second.record().kubernetes()).isNull();
            assertThat(first.indexKey()).contains("/workload=_unknown/");
            assertThat(log.lines())
                    .filteredOn(line -> line.contains("Kubernetes enrichment skipped"))
                    .hasSize(1)
                    .allSatisfy(line -> assertThat(line).contains("unreachable"));
        }
    }

    private DumpIndexed index(DumpArchived archived) throws Exception {
        RecordedDumps.record(s3, json, archived);
        Response reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", "ce-" + archived.dumpId())
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .body(json.writeValueAsBytes(archived))
                        .post("/")
                        .andReturn();
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_INDEXED);
        return json.readValue(reply.body().asByteArray(), DumpIndexed.class);
    }
}
