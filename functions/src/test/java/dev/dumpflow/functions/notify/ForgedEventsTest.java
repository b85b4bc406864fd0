package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.MemoryThresholdCrossed;
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
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Forged {@code dump.archived}, {@code dump.indexed}, threshold warnings and dead letters, with
 * Kubernetes on against the fabric8 mock API server: index and notify take every fact, link and
 * recipient from what the archive stored and from the API, so a forgery leaks no link, carries no
 * foreign URL, and names no pod that is not there.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class ForgedEventsTest {

    private static final String EVIL = "https://evil.example/phish";

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    /** team-b's dump, honestly stored: the archive's record and the index record. */
    private DumpIndexed teamB;

    @BeforeEach
    void storeTeamBsDump() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment("shop", "checkout", "team-checkout@example.test");
        cluster.oomKilledPod("shop", "checkout", Samples.pod().name());
        teamB = Samples.dumpIndexed();
        RecordedDumps.indexed(s3, json, teamB);
    }

    @Test
    void aForgedDumpArchivedNamingAnotherTeamsKeyGetsNoLinkInTheReplySlackOrAnyEmail()
            throws Exception {
        IndexRecord b = teamB.record();
        PodIdentity attackersPod =
                new PodIdentity(
                        "attacker",
                        "evil-0",
                        UUID.randomUUID().toString(),
                        "node-x",
                        "app",
                        null,
                        Map.of());
        // Under the attacker's own dumpId, and under team-b's.
        for (String dumpId : new String[] {"20261122T034912Z-attacker1", b.dumpId()}) {
            DumpArchived forged =
                    new DumpArchived(
                            dumpId,
                            b.fileName(),
                            b.closedAt(),
                            b.format(),
                            b.cause(),
                            b.pid(),
                            b.bucket(),
                            b.key(),
                            b.codec(),
                            b.rawBytes(),
                            b.storedBytes(),
                            b.sha256(),
                            1,
                            b.archivedAt(),
                            null,
                            attackersPod);

            Response reply = post(EventTypes.DUMP_ARCHIVED, "/dumpflow/archive", forged);

            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(400);
            assertThat(reply.asString()).doesNotContain("X-Amz-", b.key() + "?");
        }
        assertThat(slack.posts()).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(
                        s3.listObjectsV2(r -> r.bucket(S3ProxyResource.BUCKET).prefix("index/"))
                                .contents())
                .noneMatch(o -> o.key().contains("attacker"));
    }

    @Test
    void aForgedDumpIndexedWithAForeignUrlSendsNoMessageCarryingThatUrl() throws Exception {
        // A real dumpId and indexKey, with a download link and a record of the attacker's.
        ObjectNode forged = json.valueToTree(teamB);
        forged.putObject("download").put("url", EVIL).put("expiresAt", "2030-01-01T00:00:00Z");
        ((ObjectNode) forged.get("record").get("kubernetes").get("recentEvents").get(0))
                .put("message", "Download the dump at " + EVIL);
        ((ObjectNode) forged.get("record")).put("key", "dumps/team-a/secrets.hprof.zst");

        Response replayed = post(EventTypes.DUMP_INDEXED, "/dumpflow/index", forged);
        // And one naming no stored dump at all.
        ObjectNode unknown = forged.deepCopy();
        unknown.put("dumpId", "20261122T034912Z-nosuchdump");
        ((ObjectNode) unknown.get("record")).put("dumpId", "20261122T034912Z-nosuchdump");
        Response invented = post(EventTypes.DUMP_INDEXED, "/dumpflow/index", unknown);

        assertThat(invented.statusCode()).isEqualTo(400);
        // The replay of a true event may send the true message again: with notify's own link.
        assertThat(replayed.statusCode()).isEqualTo(204);
        assertThat(slack.posts())
                .allSatisfy(
                        p ->
                                assertThat(p.body())
                                        .doesNotContain("evil.example", "dumps/team-a/secrets"));
        for (MimeMessage mail : greenMail.getReceivedMessages()) {
            assertThat(new String(mail.getInputStream().readAllBytes()))
                    .doesNotContain("evil.example", "dumps/team-a/secrets");
        }
    }

    @Test
    void aForgedThresholdWarningAboutAPodTheApiDoesNotShowIsRefusedAndSendsNothing()
            throws Exception {
        MemoryThresholdCrossed s = Samples.thresholdCrossed();
        PodIdentity p = Samples.pod();
        for (PodIdentity pod :
                new PodIdentity[] {
                    new PodIdentity("team-c", "db-0", null, null, "app", null, Map.of()),
                    new PodIdentity(
                            p.namespace(),
                            p.name(),
                            UUID.randomUUID().toString(),
                            null,
                            "app",
                            null,
                            Map.of())
                }) {
            MemoryThresholdCrossed forged =
                    new MemoryThresholdCrossed(
                            s.pid(),
                            s.command(),
                            s.runtime(),
                            s.rssBytes(),
                            s.limitBytes(),
                            s.thresholdBytes(),
                            s.rule(),
                            s.nextThresholdBytes(),
                            s.captureSkipped(),
                            pod);

            Response reply =
                    post(
                            EventTypes.MEMORY_THRESHOLD_CROSSED,
                            "/namespaces/team-c/pods/db-0/containers/app",
                            forged);

            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(400);
        }
        assertThat(slack.posts()).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aForgedDeadLetterOfADumpNobodyStoredTellsNobody() throws Exception {
        ObjectNode archived = json.valueToTree(Samples.dumpArchived());
        archived.put("dumpId", "20261122T034912Z-forgeddl1");
        archived.put("key", StorageLayout.DUMPS_PREFIX + "team-c/db/x.zst");

        Response reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", UUID.randomUUID().toString())
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .header("ce-knativeerrorcode", "503")
                        .body(json.writeValueAsBytes(archived))
                        .post("/dead-letter")
                        .andReturn();

        assertThat(reply.statusCode()).isEqualTo(202);
        assertThat(slack.posts()).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    private Response post(String type, String source, Object data) throws Exception {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", type)
                .header("ce-source", source)
                .body(json.writeValueAsBytes(data))
                .post("/")
                .andReturn();
    }
}
