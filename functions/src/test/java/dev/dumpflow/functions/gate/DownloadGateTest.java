package dev.dumpflow.functions.gate;

import static dev.dumpflow.functions.gate.AuthReviewResource.ALICE_TOKEN;
import static dev.dumpflow.functions.gate.AuthReviewResource.BOB_TOKEN;
import static dev.dumpflow.functions.gate.AuthReviewResource.TEAM_A;
import static dev.dumpflow.functions.gate.AuthReviewResource.TEAM_B;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The download gate against an API server that reviews tokens and rights and a real S3 server: who
 * may list, read and download which dumps, what is answered to whom may not, and the audit object
 * each decision leaves.
 */
@QuarkusTest
@TestProfile(GateProfile.class)
class DownloadGateTest {

    @Inject S3Client s3;
    @Inject ObjectMapper json;

    private final Set<String> auditBefore = new HashSet<>();

    @BeforeEach
    void rememberAudit() {
        auditBefore.clear();
        auditBefore.addAll(auditKeys());
    }

    @Test
    void answers401WithoutAValidTokenAndAuditsIt() throws Exception {
        String refusedLists =
                "dumpflow_gate_decisions_total{action=\"list\",decision=\"refused\",status=\"401\"}";
        double before = ScrapedMetrics.scrape().value(refusedLists);

        given().get("/api/dumps?namespace=" + TEAM_A).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-token")
                .get("/api/dumps/some-dump/download")
                .then()
                .statusCode(401);

        List<JsonNode> lines = newAuditLines();
        assertThat(lines).hasSize(2);
        assertThat(lines)
                .allSatisfy(
                        l -> {
                            assertThat(l.path("decision").asText()).isEqualTo("refused");
                            assertThat(l.path("status").asInt()).isEqualTo(401);
                            assertThat(l.has("user")).isFalse();
                            assertThat(l.path("source").asText()).isNotBlank();
                        });
        assertThat(lines.toString()).doesNotContain("not-a-token");
        assertThat(ScrapedMetrics.scrape().value(refusedLists)).isEqualTo(before + 1);
    }

    @Test
    void takesNoEventsWhereItServesTheGateOnly() {
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "forged-1")
                .header("ce-type", "dev.dumpflow.dump.closed")
                .header("ce-source", "/namespaces/a/pods/b/containers/c")
                .body("{}")
                .post("/")
                .then()
                .statusCode(404);
        given().contentType("application/json")
                .body("{}")
                .post("/dead-letter")
                .then()
                .statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void listsOnlyWhereTheCallerHasListNewestFirst() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String older = store(TEAM_A, "shop", now.minus(Duration.ofDays(3)), "older").dumpId();
        String newer = store(TEAM_A, "shop", now.minus(Duration.ofHours(1)), "newer").dumpId();
        String otherWorkload =
                store(TEAM_A, "cart", now.minus(Duration.ofHours(2)), "cart").dumpId();
        store(TEAM_B, "billing", now.minus(Duration.ofHours(1)), "billing");

        Response refused = asAlice().get("/api/dumps?namespace=" + TEAM_B);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json.readTree(refused.asByteArray()).path("error").asText()).isNotBlank();

        List<String> all = ids(asAlice().get("/api/dumps?namespace=" + TEAM_A));
        assertThat(all).containsSubsequence(newer, otherWorkload, older);
        assertThat(ids(asAlice().get("/api/dumps?namespace=" + TEAM_A + "&workload=shop")))
                .contains(newer, older)
                .doesNotContain(otherWorkload);
        assertThat(ids(asAlice().get("/api/dumps?namespace=" + TEAM_A + "&since=P1D")))
                .contains(newer, otherWorkload)
                .doesNotContain(older);
        assertThat(ids(asBob().get("/api/dumps?namespace=" + TEAM_B))).isNotEmpty();

        List<JsonNode> lines = newAuditLines();
        assertThat(lines).hasSize(5);
        assertThat(lines)
                .filteredOn(l -> l.path("status").asInt() == 403)
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.path("user").asText()).isEqualTo("alice");
                            assertThat(l.path("namespace").asText()).isEqualTo(TEAM_B);
                            assertThat(l.path("action").asText()).isEqualTo("list");
                            assertThat(l.path("decision").asText()).isEqualTo("refused");
                        });
        assertThat(lines).filteredOn(l -> l.path("decision").asText().equals("allowed")).hasSize(4);
    }

    @Test
    void aForbiddenDumpIsAnsweredLikeAMissingOne() throws Exception {
        String theirs = store(TEAM_B, "billing", Instant.now(), "secret").dumpId();
        String missing = "no-such-dump-" + UUID.randomUUID();

        for (String path : List.of("/api/dumps/%s", "/api/dumps/%s/download")) {
            Response forbidden = asAlice().get(path.formatted(theirs));
            Response absent = asAlice().get(path.formatted(missing));
            assertThat(forbidden.statusCode()).isEqualTo(404);
            assertThat(absent.statusCode()).isEqualTo(404);
            assertThat(forbidden.asString().replace(theirs, "ID"))
                    .isEqualTo(absent.asString().replace(missing, "ID"));
            assertThat(
                            forbidden.getHeaders().asList().stream()
                                    .map(h -> h.getName())
                                    .sorted()
                                    .toList())
                    .isEqualTo(
                            absent.getHeaders().asList().stream()
                                    .map(h -> h.getName())
                                    .sorted()
                                    .toList());
        }
        assertThat(asBob().get("/api/dumps/" + theirs).statusCode()).isEqualTo(200);

        List<JsonNode> lines = newAuditLines();
        assertThat(lines).hasSize(5);
        assertThat(lines)
                .filteredOn(l -> l.path("status").asInt() == 404)
                .hasSize(4)
                .allSatisfy(l -> assertThat(l.path("user").asText()).isEqualTo("alice"));
        // Only the audit trail tells a forbidden dump from a missing one.
        assertThat(lines)
                .filteredOn(l -> l.path("dumpId").asText().equals(theirs))
                .filteredOn(l -> l.path("status").asInt() == 404)
                .hasSize(2)
                .allSatisfy(l -> assertThat(l.path("namespace").asText()).isEqualTo(TEAM_B));
        assertThat(lines)
                .filteredOn(l -> l.path("dumpId").asText().equals(missing))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l.has("namespace")).isFalse());
    }

    @Test
    void showsTheIndexRecordOfAReadableDump() throws Exception {
        DumpArchived dump = store(TEAM_A, "shop", Instant.now(), "show");

        JsonNode shown = json.readTree(asAlice().get("/api/dumps/" + dump.dumpId()).asByteArray());

        assertThat(shown.path("dumpId").asText()).isEqualTo(dump.dumpId());
        assertThat(shown.path("sha256").asText()).isEqualTo(dump.sha256());
        assertThat(shown.path("pod").path("namespace").asText()).isEqualTo(TEAM_A);
    }

    @Test
    void showsAndListsTheRedactionOfARedactedDumpAndNoneForOneStoredAsFetched() throws Exception {
        Redaction kept = new Redaction("strings", "b".repeat(64), true);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DumpArchived redacted = store(TEAM_A, "vault", now, "redacted", kept);
        DumpArchived plain = store(TEAM_A, "vault", now.minusSeconds(60), "plain");

        JsonNode shown =
                json.readTree(asAlice().get("/api/dumps/" + redacted.dumpId()).asByteArray());
        JsonNode listed =
                json.readTree(
                        asAlice()
                                .get("/api/dumps?namespace=" + TEAM_A + "&workload=vault")
                                .asByteArray());

        assertThat(json.treeToValue(shown.path("redaction"), Redaction.class)).isEqualTo(kept);
        assertThat(listed.path("dumps")).hasSize(2);
        assertThat(json.treeToValue(listed.path("dumps").get(0).path("redaction"), Redaction.class))
                .isEqualTo(kept);
        assertThat(listed.path("dumps").get(1).has("redaction")).isFalse();
        assertThat(
                        json.readTree(asAlice().get("/api/dumps/" + plain.dumpId()).asByteArray())
                                .has("redaction"))
                .isFalse();
    }

    @Test
    void redirectsToALinkThatDownloadsTheDumpAndExpires() throws Exception {
        DumpArchived dump = store(TEAM_A, "shop", Instant.now(), "download");

        Response redirect =
                asAlice()
                        .redirects()
                        .follow(false)
                        .get("/api/dumps/" + dump.dumpId() + "/download");

        assertThat(redirect.statusCode()).isEqualTo(302);
        URI link = URI.create(redirect.header("Location"));
        assertThat(link.getQuery()).contains("X-Amz-Expires=2");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> fetched =
                http.send(get(link), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(new String(fetched.body(), StandardCharsets.UTF_8))
                .isEqualTo(content(dump.dumpId()));

        Thread.sleep(Duration.parse(GateProfile.LINK_TTL).plusMillis(1_500));
        HttpResponse<byte[]> late = http.send(get(link), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(late.statusCode()).isEqualTo(403);

        assertThat(newAuditLines())
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.path("action").asText()).isEqualTo("download");
                            assertThat(l.path("decision").asText()).isEqualTo("allowed");
                            assertThat(l.path("status").asInt()).isEqualTo(302);
                            assertThat(l.path("dumpId").asText()).isEqualTo(dump.dumpId());
                            assertThat(l.path("namespace").asText()).isEqualTo(TEAM_A);
                            assertThat(l.path("user").asText()).isEqualTo("alice");
                        });
    }

    private static HttpRequest get(URI link) {
        return HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().header("Authorization", "Bearer " + ALICE_TOKEN);
    }

    private static io.restassured.specification.RequestSpecification asBob() {
        return given().header("Authorization", "Bearer " + BOB_TOKEN);
    }

    private List<String> ids(Response listing) throws Exception {
        assertThat(listing.statusCode()).as(listing.asString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json.readTree(listing.asByteArray())
                .path("dumps")
                .forEach(r -> ids.add(r.path("dumpId").asText()));
        return ids;
    }

    /** Stores a dump, its archive record and its index record, as the pipeline would have. */
    private DumpArchived store(String namespace, String workload, Instant closedAt, String name)
            throws Exception {
        return store(namespace, workload, closedAt, name, null);
    }

    private DumpArchived store(
            String namespace, String workload, Instant closedAt, String name, Redaction redaction)
            throws Exception {
        String dumpId = name + "-" + UUID.randomUUID();
        PodIdentity pod =
                new PodIdentity(
                        namespace,
                        workload + "-7d9f-abcde",
                        UUID.randomUUID().toString(),
                        "node-a",
                        "app",
                        new PodIdentity.Workload("Deployment", workload),
                        Map.of());
        String key = StorageLayout.dumpKey(pod, dumpId, DumpFormat.HPROF, closedAt);
        byte[] bytes = content(dumpId).getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(S3ProxyResource.BUCKET).key(key), RequestBody.fromBytes(bytes));
        DumpArchived archived =
                new DumpArchived(
                        dumpId,
                        "java_pid1.hprof",
                        closedAt,
                        DumpFormat.HPROF,
                        DumpCause.THRESHOLD,
                        1L,
                        S3ProxyResource.BUCKET,
                        key,
                        "zstd",
                        1_000,
                        bytes.length,
                        "a".repeat(64),
                        10,
                        closedAt.plusSeconds(5),
                        null,
                        pod,
                        redaction);
        RecordedDumps.record(s3, json, archived);
        IndexRecord record = IndexRecord.from(archived);
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(StorageLayout.indexKey(record)),
                RequestBody.fromBytes(json.writeValueAsBytes(record)));
        return archived;
    }

    private static String content(String dumpId) {
        return "the stored bytes of " + dumpId;
    }

    private Set<String> auditKeys() {
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(
                        b -> b.bucket(S3ProxyResource.BUCKET).prefix(StorageLayout.AUDIT_PREFIX))
                .contents()
                .forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** The audit lines written since the test began, each one JSON line in its own object. */
    private List<JsonNode> newAuditLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String key : auditKeys()) {
            if (auditBefore.contains(key)) {
                continue;
            }
            String body =
                    s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(key))
                            .asUtf8String();
            assertThat(body).endsWith("\n").doesNotContain(ALICE_TOKEN).doesNotContain(BOB_TOKEN);
            assertThat(body.strip().lines()).hasSize(1);
            lines.add(json.readTree(body));
        }
        return lines;
    }
}
