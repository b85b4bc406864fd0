package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.oom.KilledPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Notify's side of an OOM kill: the alert through every channel, and the threshold crossings it
 * keeps for the verdict.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class NotifyOomKilledTest {

    static final long MIB = 1024 * 1024;
    static final String CONSOLE_SENT =
            "dumpflow_notifications_total{channel=\"console\",outcome=\"sent\"}";

    @Inject KubernetesClient kube;
    @Inject S3Client s3;
    @Inject ObjectMapper json;
    SlackRecorder slack;
    GreenMail greenMail;

    KilledPods pods;
    URI functions;

    @BeforeEach
    void reset() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        pods = new KilledPods(kube, s3, json);
        functions = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/");
    }

    @Test
    void anOomKillIsToldThroughEveryChannelWithTheVerdictTheLastDumpAndItsLink() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        String dumpId = pods.storedDump(killed, killed.killedAt().minusSeconds(42), 400 * MIB);
        Response report = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());
        double consoleBefore = ScrapedMetrics.scrape().value(CONSOLE_SENT);

        Response told = post(report.header("ce-id"), report.body().asByteArray());

        assertThat(told.statusCode()).isEqualTo(204);
        assertThat(slack.posts()).hasSize(1);
        String slackText = slack.posts().getFirst().body();
        MimeMessage mail = onlyMail();
        String mailText = text(mail);
        for (String text : List.of(slackText, mailText)) {
            assertThat(text)
                    .contains(
                            "OOMKilled",
                            "verdict: heap",
                            dumpId,
                            "42 s before the kill",
                            "512.0 MiB",
                            "400.0 MiB (78% of the limit)",
                            "The Java heap filled the container",
                            killed.pod().getMetadata().getName(),
                            "Download the dump",
                            "X-Amz-Expires");
        }
        assertThat(mail.getSubject()).contains("OOMKilled");
        assertThat(String.join(",", recipients(mail)))
                .contains(FullStackProfile.ONCALL, "team-checkout@example.test");
        assertThat(ScrapedMetrics.scrape().value(CONSOLE_SENT)).isEqualTo(consoleBefore + 1);
    }

    @Test
    void aLastDumpThatIsNotARecordedDumpOfThePodGetsNoLink() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        KilledPods.Killed other = pods.oomKilled(KilledPods.newPodName());
        String othersDump = pods.storedDump(other, other.killedAt().minusSeconds(42), 400 * MIB);
        Response report = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());
        ContainerOomKilled honest =
                json.readValue(report.body().asByteArray(), ContainerOomKilled.class);
        ContainerOomKilled forged =
                new ContainerOomKilled(
                        honest.pod(),
                        honest.container(),
                        honest.limitBytes(),
                        honest.exitCode(),
                        honest.finishedAt(),
                        new ContainerOomKilled.LastDump(
                                othersDump,
                                dev.dumpflow.events.DumpCause.THRESHOLD,
                                honest.finishedAt().minusSeconds(42),
                                42),
                        honest.lastThreshold(),
                        honest.verdict());

        Response told = post(UUID.randomUUID().toString(), json.writeValueAsBytes(forged));

        assertThat(told.statusCode()).isEqualTo(204);
        assertThat(slack.posts())
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.body())
                                        .contains("OOMKilled")
                                        .doesNotContain("X-Amz-Expires"));
        assertThat(text(onlyMail())).doesNotContain("X-Amz-Expires");
    }

    @Test
    void everyCrossingIsKeptOnceEvenWhenItsWarningIsHeldBack() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        var crossed = KilledPods.crossing(killed, 420 * MIB, 410 * MIB, null);
        String id = UUID.randomUUID().toString();
        java.time.Instant at = killed.killedAt().minusSeconds(60);

        for (int delivery = 0; delivery < 2; delivery++) {
            assertThat(postCrossing(id, crossed, at).statusCode()).isEqualTo(204);
        }
        // Another crossing of the same workload within the warning window: held back, but kept.
        assertThat(
                        postCrossing(
                                        UUID.randomUUID().toString(),
                                        KilledPods.crossing(killed, 490 * MIB, 486 * MIB, null),
                                        at.plusSeconds(20))
                                .statusCode())
                .isEqualTo(204);

        List<String> kept =
                s3
                        .listObjectsV2Paginator(
                                b ->
                                        b.bucket(dev.dumpflow.functions.s3.S3ProxyResource.BUCKET)
                                                .prefix(
                                                        StorageLayout.thresholdsPrefix(
                                                                KilledPods.NAMESPACE,
                                                                killed.pod()
                                                                        .getMetadata()
                                                                        .getName())))
                        .contents()
                        .stream()
                        .map(o -> o.key())
                        .filter(k -> k.endsWith(".json"))
                        .toList();
        assertThat(kept).hasSize(2);
        assertThat(kept.stream().map(k -> StorageLayout.thresholdTime(k).orElseThrow()))
                .containsExactlyInAnyOrder(at, at.plusSeconds(20));
    }

    private Response postCrossing(
            String id, dev.dumpflow.events.MemoryThresholdCrossed crossed, java.time.Instant at)
            throws Exception {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", EventTypes.MEMORY_THRESHOLD_CROSSED)
                .header(
                        "ce-source",
                        "/namespaces/shop/pods/" + crossed.pod().name() + "/containers/app")
                .header("ce-time", at.toString())
                .body(json.writeValueAsBytes(crossed))
                .post("/")
                .andReturn();
    }

    /** The OOM-kill handler's reply, delivered to notify as the Trigger would. */
    private Response post(String id, byte[] data) {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", EventTypes.CONTAINER_OOMKILLED)
                .header("ce-source", "/dumpflow/oom")
                .body(data)
                .post("/")
                .andReturn();
    }

    private MimeMessage onlyMail() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).isNotEmpty();
        return received[0];
    }

    private static List<String> recipients(MimeMessage mail) throws Exception {
        List<String> to = new ArrayList<>();
        for (var a : mail.getAllRecipients()) {
            to.add(a.toString());
        }
        return to;
    }

    private static String text(Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < multipart.getCount(); i++) {
                texts.add(text(multipart.getBodyPart(i)));
            }
            return String.join("\n", texts);
        }
        return content instanceof String s ? s : "";
    }
}
