package dev.dumpflow.functions.index;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@QuarkusTest
@TestProfile(FullStackProfile.class)
class IndexFunctionTest {

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;

    @BeforeEach
    void seedCluster() {
        ClusterFixture cluster = new ClusterFixture(kube);
        PodIdentity pod = Samples.pod();
        cluster.deployment(pod.namespace(), "checkout", "team-checkout@example.test");
        cluster.oomKilledPod(pod.namespace(), "checkout", pod.name());
        Instant base = ClusterFixture.OOM_KILLED_AT;
        for (int i = 0; i < 12; i++) {
            cluster.podEvent(
                    pod.namespace(),
                    pod.name(),
                    pod.name() + ".ev" + i,
                    i % 2 == 0 ? "Warning" : "Normal",
                    i % 2 == 0 ? "BackOff" : "Pulled",
                    "event number " + i,
                    base.plusSeconds(i * 10L));
        }
        cluster.podEvent(
                pod.namespace(),
                "someone-else",
                "someone-else.ev",
                "Warning",
                "Evicted",
                "not about our pod",
                base.plusSeconds(9_999));
    }

    @Test
    void writesTheEnrichedRecordAtTheIndexKeyAndRepliesDumpIndexed() throws Exception {
        DumpArchived archived = ArchivedDumps.archived("20261122T034912Z-index0001");

        ExtractableResponse<Response> reply = postBinary(archived, "ce-index-1");

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_INDEXED);
        assertThat(reply.header("ce-source")).isEqualTo("/dumpflow/index");
        assertThat(reply.header("ce-subject")).isEqualTo(archived.dumpId());
        assertThat(reply.header("ce-dumpid")).isEqualTo(archived.dumpId());
        DumpIndexed indexed = json.readValue(reply.body().asByteArray(), DumpIndexed.class);

        IndexRecord record = indexed.record();
        assertThat(indexed.indexKey())
                .isEqualTo(
                        "index/namespace=shop/workload=checkout/date=2026-11-22/"
                                + archived.dumpId()
                                + ".json")
                .isEqualTo(StorageLayout.indexKey(record));
        KubernetesContext k8s = record.kubernetes();
        assertThat(k8s.workload()).isEqualTo(new PodIdentity.Workload("Deployment", "checkout"));
        assertThat(record.pod().workload()).isEqualTo(k8s.workload());
        assertThat(k8s.image()).isEqualTo(ClusterFixture.IMAGE);
        assertThat(k8s.restartCount()).isEqualTo(3);
        assertThat(k8s.lastTerminationReason()).isEqualTo("OOMKilled");
        assertThat(k8s.lastTerminatedAt()).isEqualTo(ClusterFixture.OOM_KILLED_AT);
        assertThat(k8s.recentEvents())
                .hasSize(10)
                .extracting(KubernetesContext.PodEvent::message)
                .startsWith("event number 11", "event number 10")
                .doesNotContain("not about our pod", "event number 1", "event number 0");
        assertThat(record.analysis()).isEqualTo(archived.analysis());

        byte[] stored =
                s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(indexed.indexKey()))
                        .asByteArray();
        assertThat(json.readValue(stored, IndexRecord.class)).isEqualTo(record);
        JsonNode tree = json.readTree(stored);
        assertThat(tree.get("closedAt").asText()).isEqualTo("2026-11-22T03:49:12Z");
        assertThat(tree.get("kubernetes").get("lastTerminatedAt").asText())
                .isEqualTo("2026-11-22T03:39:12Z");
    }

    @Test
    void reDeliveryRepliesFromTheOneRecordAndWritesNoOther() throws Exception {
        DumpArchived archived = ArchivedDumps.archived("20261122T034912Z-index0002");

        ExtractableResponse<Response> first = postBinary(archived, "ce-index-2");
        byte[] before = storedRecord(first);
        ExtractableResponse<Response> second = postBinary(archived, "ce-index-2");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.header("ce-id")).isEqualTo(first.header("ce-id"));
        List<S3Object> records =
                s3
                        .listObjectsV2(b -> b.bucket(S3ProxyResource.BUCKET).prefix("index/"))
                        .contents()
                        .stream()
                        .filter(o -> o.key().contains(archived.dumpId()))
                        .filter(o -> !o.key().startsWith(StorageLayout.MARKERS_PREFIX))
                        .filter(o -> !o.key().startsWith(StorageLayout.BY_ID_PREFIX))
                        .toList();
        assertThat(records).hasSize(1);
        assertThat(storedRecord(second)).isEqualTo(before);
    }

    @Test
    void aLaterCopyWithOtherDataRepliesWithTheRecordTheFirstCopyWrote() throws Exception {
        DumpArchived first = ArchivedDumps.archived("20261122T034912Z-index0005");
        // What a replica that found the dump already stored replies: no analysis.
        DumpArchived withoutAnalysis =
                new DumpArchived(
                        first.dumpId(),
                        first.fileName(),
                        first.closedAt(),
                        first.format(),
                        first.cause(),
                        first.pid(),
                        first.bucket(),
                        first.key(),
                        first.codec(),
                        first.rawBytes(),
                        first.storedBytes(),
                        first.sha256(),
                        first.durationMs() + 1,
                        first.archivedAt(),
                        null,
                        first.pod());

        ExtractableResponse<Response> original = postBinary(first, "ce-index-5");
        byte[] stored = storedRecord(original);
        ExtractableResponse<Response> copy = postBinary(withoutAnalysis, "ce-index-5");

        assertThat(copy.statusCode()).isEqualTo(200);
        DumpIndexed replied = json.readValue(copy.body().asByteArray(), DumpIndexed.class);
        assertThat(replied.record().analysis()).as("the first copy's analysis").isNotNull();
        assertThat(storedRecord(copy)).isEqualTo(stored);
    }

    @Test
    void repliesWithoutADownloadLinkWhichEveryBrokerSubscriberWouldSee() throws Exception {
        DumpArchived archived = ArchivedDumps.archived("20261122T034912Z-index0003");

        ExtractableResponse<Response> reply = postBinary(archived, "ce-index-3");

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = json.readTree(reply.body().asByteArray());
        assertThat(data.has("download")).isFalse();
        assertThat(data.toString()).doesNotContain("X-Amz-", "http://", "https://");
    }

    @Test
    void answersAStructuredModeEventInStructuredMode() throws Exception {
        DumpArchived archived = ArchivedDumps.archived("20261122T034912Z-index0004");
        RecordedDumps.record(s3, json, archived);
        String envelope =
                json.writeValueAsString(
                        json.createObjectNode()
                                .put("specversion", "1.0")
                                .put("id", "ce-index-4")
                                .put("type", EventTypes.DUMP_ARCHIVED)
                                .put("source", "/dumpflow/archive")
                                .put("datacontenttype", "application/json")
                                .set("data", json.valueToTree(archived)));

        Response reply =
                given().contentType("application/cloudevents+json")
                        .body(envelope)
                        .post("/")
                        .andReturn();

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(reply.body().asByteArray());
        assertThat(body.get("type").asText()).isEqualTo(EventTypes.DUMP_INDEXED);
        assertThat(body.get("source").asText()).isEqualTo("/dumpflow/index");
        assertThat(body.get("data").get("dumpId").asText()).isEqualTo(archived.dumpId());
    }

    @Test
    void refusesAMalformedEventWith4xxAndWritesNothing() throws Exception {
        int before = indexObjectCount();
        String missingFields = "{\"dumpId\":\"20261122T034912Z-bad\",\"bucket\":\"b\"}";

        Response reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", "ce-bad-1")
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .body(missingFields)
                        .post("/")
                        .andReturn();
        Response notJson =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", "ce-bad-2")
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .body("{not json")
                        .post("/")
                        .andReturn();

        assertThat(reply.statusCode()).isBetween(400, 499).isNotIn(404, 408, 409, 429);
        assertThat(notJson.statusCode()).isBetween(400, 499).isNotIn(404, 408, 409, 429);
        assertThat(indexObjectCount()).isEqualTo(before);
    }

    private int indexObjectCount() {
        return s3.listObjectsV2(b -> b.bucket(S3ProxyResource.BUCKET).prefix("index/"))
                .contents()
                .size();
    }

    private byte[] storedRecord(ExtractableResponse<Response> reply) throws Exception {
        DumpIndexed indexed = json.readValue(reply.body().asByteArray(), DumpIndexed.class);
        return s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(indexed.indexKey()))
                .asByteArray();
    }

    private ExtractableResponse<Response> postBinary(DumpArchived archived, String id)
            throws Exception {
        RecordedDumps.record(s3, json, archived);
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", EventTypes.DUMP_ARCHIVED)
                .header("ce-source", "/dumpflow/archive")
                .header("ce-subject", archived.dumpId())
                .header("ce-dumpid", archived.dumpId())
                .body(json.writeValueAsBytes(archived))
                .post("/")
                .then()
                .extract();
    }
}
