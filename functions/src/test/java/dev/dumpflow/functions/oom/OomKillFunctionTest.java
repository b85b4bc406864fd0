package dev.dumpflow.functions.oom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.FullStackProfile;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The OOM-kill handler against the fabric8 mock API server, S3Proxy holding the stored dumps and
 * the kept threshold crossings, and the notify function that keeps them: ApiServerSource-shaped pod
 * updates in, {@code container.oomkilled} replies out.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class OomKillFunctionTest {

    static final long MIB = 1024 * 1024;

    @Inject KubernetesClient kube;
    @Inject S3Client s3;
    @Inject ObjectMapper json;

    KilledPods pods;
    URI functions;

    @BeforeEach
    void fixture() {
        pods = new KilledPods(kube, s3, json);
        functions = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/");
    }

    @Test
    void aKillAfterADumpWhoseHeapFilledTheLimitIsJudgedHeapWithItsEvidence() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        Instant killedAt = killed.killedAt();
        pods.storedDump(killed, killedAt.minusSeconds(3_000), 200 * MIB); // an older one
        String dumpId = pods.storedDump(killed, killedAt.minusSeconds(42), 400 * MIB);
        pods.storedDump(killed, killedAt.plusSeconds(30), 100 * MIB); // after the kill: not it
        crossing(killed, 440 * MIB, 435 * MIB, killedAt.minusSeconds(60));
        crossing(killed, 500 * MIB, 486 * MIB, killedAt.plusSeconds(20)); // after: not it

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.CONTAINER_OOMKILLED);
        assertThat(reply.header("ce-source")).isEqualTo("/dumpflow/oom");
        assertThat(reply.header("ce-dumpid")).isEqualTo(dumpId);
        ContainerOomKilled report =
                json.readValue(reply.body().asByteArray(), ContainerOomKilled.class);
        assertThat(report.container()).isEqualTo("app");
        assertThat(report.pod().name()).isEqualTo(killed.pod().getMetadata().getName());
        assertThat(report.pod().uid()).isEqualTo(killed.pod().getMetadata().getUid());
        assertThat(report.pod().workload().name()).isEqualTo(KilledPods.DEPLOYMENT);
        assertThat(report.limitBytes()).isEqualTo(KilledPods.LIMIT);
        assertThat(report.exitCode()).isEqualTo(137);
        assertThat(report.finishedAt()).isEqualTo(killedAt);
        assertThat(report.lastDump())
                .isEqualTo(
                        new ContainerOomKilled.LastDump(
                                dumpId, DumpCause.THRESHOLD, killedAt.minusSeconds(42), 42));
        assertThat(report.lastThreshold())
                .isEqualTo(
                        new ContainerOomKilled.LastThreshold(
                                440 * MIB, 435 * MIB, killedAt.minusSeconds(60)));
        assertThat(report.verdict().kind()).isEqualTo(ContainerOomKilled.Verdict.Kind.HEAP);
        assertThat(report.verdict().heapBytes()).isEqualTo(400 * MIB);
        assertThat(report.verdict().limitBytes()).isEqualTo(KilledPods.LIMIT);
        assertThat(report.verdict().explanation()).contains(dumpId, "78%", "byte[]");
    }

    @Test
    void aKillAfterADumpWithASmallHeapIsJudgedNonHeapAndSaysWhereToLook() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        String dumpId = pods.storedDump(killed, killed.killedAt().minusSeconds(90), 100 * MIB);

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());

        assertThat(reply.statusCode()).isEqualTo(200);
        ContainerOomKilled report =
                json.readValue(reply.body().asByteArray(), ContainerOomKilled.class);
        assertThat(report.lastDump().dumpId()).isEqualTo(dumpId);
        assertThat(report.lastThreshold()).isNull();
        assertThat(report.verdict().kind()).isEqualTo(ContainerOomKilled.Verdict.Kind.NON_HEAP);
        assertThat(report.verdict().heapBytes()).isEqualTo(100 * MIB);
        assertThat(report.verdict().explanation())
                .contains(
                        "412.0 MiB",
                        "direct buffers",
                        "metaspace",
                        "threads",
                        "native memory",
                        "NativeMemoryTracking");
    }

    @Test
    void aKillWithoutADumpIsUnknownAndNamesTheThresholdsThatWouldHaveCaughtIt() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.header("ce-dumpid")).isNull();
        ContainerOomKilled report =
                json.readValue(reply.body().asByteArray(), ContainerOomKilled.class);
        assertThat(report.lastDump()).isNull();
        assertThat(report.lastThreshold()).isNull();
        assertThat(json.readTree(reply.body().asByteArray()).get("lastDump").isNull()).isTrue();
        assertThat(report.verdict().kind()).isEqualTo(ContainerOomKilled.Verdict.Kind.UNKNOWN);
        assertThat(report.verdict().explanation())
                .contains(
                        "DUMPFLOW_THRESHOLDS=80%,95%",
                        "409.6 MiB",
                        "486.4 MiB",
                        "DUMPFLOW_THRESHOLDS=256Mi,x2",
                        "DUMPFLOW_CAPTURE=jvm");
    }

    @Test
    void aCrossingWhoseCaptureWasSkippedIsNamedWhenNoDumpFollowed() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        crossing(
                killed,
                420 * MIB,
                410 * MIB,
                killed.killedAt().minusSeconds(30),
                "the dump directory has 80 MiB free, less than the process's RSS");

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());

        ContainerOomKilled report =
                json.readValue(reply.body().asByteArray(), ContainerOomKilled.class);
        assertThat(report.verdict().kind()).isEqualTo(ContainerOomKilled.Verdict.Kind.UNKNOWN);
        assertThat(report.lastThreshold().thresholdBytes()).isEqualTo(410 * MIB);
        assertThat(report.verdict().explanation())
                .contains("skipped the capture", "80 MiB free", "30 s before the kill");
    }

    @Test
    void theSameKillIsReportedOnceAndARedeliveryGetsTheSameReportAgain() throws Exception {
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        pods.storedDump(killed, killed.killedAt().minusSeconds(42), 400 * MIB);
        String first = UUID.randomUUID().toString();

        Response reported = pods.postUpdate(functions, first, killed.pod());
        // The pod's next update (its restarted container turning ready) shows the same kill.
        Response later = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());
        // The Broker delivers the first event again, having lost its reply.
        Response redelivered = pods.postUpdate(functions, first, killed.pod());

        assertThat(reported.statusCode()).isEqualTo(200);
        assertThat(later.statusCode()).isEqualTo(204);
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(redelivered.header("ce-id")).isEqualTo(reported.header("ce-id"));
        assertThat(json.readTree(redelivered.body().asByteArray()))
                .isEqualTo(json.readTree(reported.body().asByteArray()));
    }

    @Test
    void aPayloadClaimingAnOomKillTheApiDoesNotShowReportsNothing() {
        KilledPods.Killed errored = pods.withLastState(KilledPods.newPodName(), "Error", true);
        Pod claimed = withReason(errored.pod(), "OOMKilled");

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), claimed);

        assertThat(reply.statusCode()).isEqualTo(204);
        assertThat(reply.body().asString()).isEmpty();
    }

    @Test
    void aKilledPodThatIsNotEnrolledIsNotReported() {
        KilledPods.Killed killed = pods.withLastState(KilledPods.newPodName(), "OOMKilled", false);

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), killed.pod());

        assertThat(reply.statusCode()).isEqualTo(204);
    }

    @Test
    void anUpdateThatNamesNoPodIsRefusedAsABadEvent() {
        Pod nameless = withReason(pods.oomKilled(KilledPods.newPodName()).pod(), "OOMKilled");
        nameless.getMetadata().setName(null);

        Response reply = pods.postUpdate(functions, UUID.randomUUID().toString(), nameless);

        assertThat(reply.statusCode()).isEqualTo(400);
    }

    private void crossing(KilledPods.Killed killed, long rss, long threshold, Instant at)
            throws Exception {
        crossing(killed, rss, threshold, at, null);
    }

    private void crossing(
            KilledPods.Killed killed, long rss, long threshold, Instant at, String skipped)
            throws Exception {
        assertThat(
                        pods.postCrossing(
                                        functions,
                                        KilledPods.crossing(killed, rss, threshold, skipped),
                                        at)
                                .statusCode())
                .isEqualTo(204);
    }

    /** The pod as an event could show it: its container's last termination given {@code reason}. */
    private static Pod withReason(Pod pod, String reason) {
        Pod copy =
                new io.fabric8.kubernetes.api.model.PodBuilder(pod)
                        .editStatus()
                        .editFirstContainerStatus()
                        .withLastState(
                                new ContainerStateBuilder()
                                        .withNewTerminated()
                                        .withReason(reason)
                                        .withExitCode(137)
                                        .withFinishedAt(
                                                pod.getStatus()
                                                        .getContainerStatuses()
                                                        .getFirst()
                                                        .getLastState()
                                                        .getTerminated()
                                                        .getFinishedAt())
                                        .endTerminated()
                                        .build())
                        .endContainerStatus()
                        .endStatus()
                        .build();
        return copy;
    }
}
