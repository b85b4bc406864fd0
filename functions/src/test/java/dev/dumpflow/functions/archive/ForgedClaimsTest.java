package dev.dumpflow.functions.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Forged {@code dump.closed} events, with Kubernetes on against the fabric8 mock API server: a
 * claim the API disproves is refused before anything is fetched, nothing is stored, and nobody is
 * told (its dead letter is dropped too). A second dump under a stored dumpId leaves the stored one
 * as it was and is answered {@code dump.failed} with code {@code conflict}.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class ForgedClaimsTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final String TEAM_A = "team-a";
    private static final String TEAM_A_POD = "db-0";

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    private SidecarStandIn attacker;
    private Path content;

    @BeforeEach
    void startTheAttackersServer() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        attacker = SidecarStandIn.start();
        content = Files.createTempFile("forged", ".hprof");
        Files.writeString(content, "JAVA PROFILE 1.0.2\0 the attacker's bytes");
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment(TEAM_A, "db", "team-a@example.test");
    }

    @AfterEach
    void stop() throws Exception {
        attacker.close();
        Files.deleteIfExists(content);
    }

    @Test
    void aClaimOfAnotherTeamsPodServedFromAnotherAddressStoresNothingAndTellsNobody()
            throws Exception {
        // team-a's pod lives at 10.1.2.3; the event claims it but points at the attacker.
        new ClusterFixture(kube).oomKilledPod(TEAM_A, "db", TEAM_A_POD, "10.1.2.3", 8787);
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));
        DumpClosed forged = claim(dumpId, attacker.url(dumpId));

        Response reply;
        try (LogCapture log = LogCapture.install()) {
            reply = new ArchiveRequests(json).postBinary(forged);
            assertThat(log.text())
                    .contains("is not an IP of pod team-a/db-0")
                    .doesNotContain(ArchiveRequests.TOKEN);
        }
        Response deadLetter = deadLetter(forged, reply.statusCode());

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.asString()).contains("CLAIM_REFUSED");
        assertThat(deadLetter.statusCode()).isEqualTo(202);
        assertNothingFetchedStoredOrTold(dumpId);
    }

    @Test
    void aFetchUrlOffThePodsDumpFetchPortIsRefused() throws Exception {
        // The pod's IP is right, but its dump-fetch port is 8787: the URL names another port.
        new ClusterFixture(kube).oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", 8787);
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));

        Response reply = new ArchiveRequests(json).postBinary(claim(dumpId, attacker.url(dumpId)));

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.asString()).contains("port");
        assertNothingFetchedStoredOrTold(dumpId);
    }

    @Test
    void aFetchUrlOffTheDumpsPathIsRefusedAndItsLengthIsNotTold() throws Exception {
        new ClusterFixture(kube)
                .oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", attacker.port());
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));
        URI healthz = URI.create("http://127.0.0.1:" + attacker.port() + "/healthz");

        Response reply = new ArchiveRequests(json).postBinary(claim(dumpId, healthz));

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.asString()).contains("/dumps/" + dumpId).doesNotContain("bytes");
        assertNothingFetchedStoredOrTold(dumpId);
    }

    @Test
    void aClaimWithAnotherPodsUidIsRefused() throws Exception {
        new ClusterFixture(kube)
                .oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", attacker.port());
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));
        DumpClosed claim = claim(dumpId, attacker.url(dumpId));
        PodIdentity p = claim.pod();
        DumpClosed otherUid =
                withPod(
                        claim,
                        new PodIdentity(
                                p.namespace(),
                                p.name(),
                                UUID.randomUUID().toString(),
                                p.node(),
                                p.container(),
                                null,
                                Map.of()));

        Response reply = new ArchiveRequests(json).postBinary(otherUid);

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.asString()).contains("UID");
        assertNothingFetchedStoredOrTold(dumpId);
    }

    @Test
    void anHonestDumpOfTheClaimedPodIsStoredWithThePodAsTheApiShowsIt() throws Exception {
        new ClusterFixture(kube)
                .oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", attacker.port());
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));

        Response reply = new ArchiveRequests(json).postBinary(claim(dumpId, attacker.url(dumpId)));

        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
        assertThat(record(dumpId)).contains("\"node\":\"node-a\"", TEAM_A_POD);
    }

    @Test
    void aClaimNamingAnotherWorkloadIsStoredUnderTheWorkloadTheApiShows() throws Exception {
        // db-0 belongs to the ReplicaSet db-rs of the Deployment db; the event claims "payments",
        // another Deployment of the same namespace.
        new ClusterFixture(kube).deployment(TEAM_A, "payments", "payments@example.test");
        new ClusterFixture(kube)
                .oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", attacker.port());
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));
        DumpClosed honest = claim(dumpId, attacker.url(dumpId));
        PodIdentity claimed = honest.pod();
        DumpClosed forged =
                withPod(
                        honest,
                        new PodIdentity(
                                claimed.namespace(),
                                claimed.name(),
                                claimed.uid(),
                                claimed.node(),
                                claimed.container(),
                                new PodIdentity.Workload("Deployment", "payments"),
                                claimed.labels()));

        Response reply = new ArchiveRequests(json).postBinary(forged);

        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        DumpArchived archived = json.readValue(reply.asString(), DumpArchived.class);
        assertThat(archived.pod().workload())
                .isEqualTo(new PodIdentity.Workload("Deployment", "db"));
        assertThat(archived.key()).startsWith("dumps/team-a/db/");
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/team-a/payments/")).isEmpty();
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/team-a/db/"))
                .anyMatch(o -> o.key().equals(archived.key()));
        assertThat(record(dumpId))
                .contains("\"workload\":{\"kind\":\"Deployment\",\"name\":\"db\"}")
                .doesNotContain("payments");
    }

    @Test
    void aSecondDumpUnderAStoredDumpIdLeavesObjectAndRecordUnchangedAndRepliesConflict()
            throws Exception {
        new ClusterFixture(kube)
                .oomKilledPod(TEAM_A, "db", TEAM_A_POD, "127.0.0.1", attacker.port());
        String dumpId = ArchiveRequests.newDumpId();
        attacker.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(content));
        DumpClosed first = claim(dumpId, attacker.url(dumpId));
        Response stored = new ArchiveRequests(json).postBinary(first);
        assertThat(stored.statusCode()).isEqualTo(200);
        // The key names the workload the API shows, which the claim leaves out.
        String key = json.readValue(stored.asString(), DumpArchived.class).key();
        byte[] objectBefore = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        String recordBefore = record(dumpId);

        // Same dumpId and closedAt, another size: refused before anything is fetched.
        Response otherSize = new ArchiveRequests(json).postBinary(withSize(first, 12_345));
        // Same dumpId, same size, other bytes, stored elsewhere first (an earlier attempt that
        // recorded its SHA-256 and stopped before the object was complete): the record decides.
        String otherId = ArchiveRequests.newDumpId();
        Path other = Files.createTempFile("other", ".hprof");
        byte[] bytes = Files.readAllBytes(content);
        bytes[bytes.length - 1] ^= 1;
        Files.write(other, bytes);
        attacker.serve(otherId, ArchiveRequests.TOKEN, DumpContent.of(content));
        DumpClosed honest = claim(otherId, attacker.url(otherId));
        Response otherStored = new ArchiveRequests(json).postBinary(honest);
        assertThat(otherStored.statusCode()).isEqualTo(200);
        String otherKey = json.readValue(otherStored.asString(), DumpArchived.class).key();
        byte[] otherObject = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(otherKey)).asByteArray();
        s3.deleteObject(b -> b.bucket(BUCKET).key(otherKey));
        attacker.serve(otherId, ArchiveRequests.TOKEN, DumpContent.of(other));
        Response sameSize = new ArchiveRequests(json).postBinary(honest);
        Files.delete(other);
        assertThat(sameSize.header("ce-type")).isEqualTo(EventTypes.DUMP_FAILED);
        assertThat(json.readValue(sameSize.asString(), DumpFailed.class).code())
                .isEqualTo(FailureCode.CONFLICT);
        assertThat(ArchiveRequests.objects(s3, BUCKET, otherKey)).isEmpty();
        assertThat(otherObject).isNotEmpty();

        for (Response reply : new Response[] {otherSize}) {
            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
            assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_FAILED);
            DumpFailed failed = json.readValue(reply.asString(), DumpFailed.class);
            assertThat(failed.code()).isEqualTo(FailureCode.CONFLICT);
            assertThat(failed.stage()).isEqualTo("archive");
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
                .isEqualTo(objectBefore);
        assertThat(record(dumpId)).isEqualTo(recordBefore);
        assertThat(ArchiveRequests.uploads(s3, BUCKET)).isEmpty();
    }

    private DumpClosed claim(String dumpId, URI url) {
        DumpClosed c = ArchiveRequests.closed(dumpId, contentSize(), url, ArchiveRequests.TOKEN);
        PodIdentity p = Samples.pod();
        return withPod(
                c,
                new PodIdentity(
                        TEAM_A,
                        TEAM_A_POD,
                        new ClusterFixture(kube).uid(TEAM_A, TEAM_A_POD),
                        null,
                        "app",
                        null,
                        p.labels()));
    }

    private long contentSize() {
        try {
            return Files.size(content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DumpClosed withPod(DumpClosed c, PodIdentity pod) {
        return new DumpClosed(
                c.dumpId(),
                c.fileName(),
                c.sizeBytes(),
                c.closedAt(),
                c.format(),
                c.cause(),
                c.pid(),
                c.fetch(),
                pod);
    }

    private static DumpClosed withSize(DumpClosed c, long size) {
        return new DumpClosed(
                c.dumpId(),
                c.fileName(),
                size,
                c.closedAt(),
                c.format(),
                c.cause(),
                c.pid(),
                new FetchLocation(c.fetch().url(), c.fetch().token(), c.fetch().expiresAt()),
                c.pod());
    }

    /** What the Broker sends the dead-letter sink once it gives up on the event. */
    private Response deadLetter(DumpClosed event, int status) throws Exception {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", EventTypes.DUMP_CLOSED)
                .header("ce-source", "/namespaces/team-a/pods/db-0/containers/app")
                .header("ce-dumpid", event.dumpId())
                .header("ce-knativeerrorcode", Integer.toString(status))
                .body(json.writeValueAsBytes(event))
                .post("/dead-letter")
                .andReturn();
    }

    private String record(String dumpId) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(StorageLayout.byIdKey(dumpId)))
                .asString(StandardCharsets.UTF_8);
    }

    private void assertNothingFetchedStoredOrTold(String dumpId) {
        assertThat(attacker.requests()).as("requests to the attacker's server").isEmpty();
        assertThat(ArchiveRequests.objects(s3, BUCKET, ""))
                .noneMatch(o -> o.key().contains(dumpId));
        assertThat(ArchiveRequests.uploads(s3, BUCKET)).isEmpty();
        assertThat(slack.posts()).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }
}
