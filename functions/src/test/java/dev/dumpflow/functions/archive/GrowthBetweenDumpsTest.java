package dev.dumpflow.functions.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.ChildJvm;
import dev.dumpflow.analysis.JcmdHistogram;
import dev.dumpflow.analysis.ProfiledJvmDumps;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.Growth;
import dev.dumpflow.events.Growth.ClassGrowth;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.HumanBytes;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Growth between real dumps of one process: a leaking JVM ({@link GrowingJvm}) is dumped three
 * times as it grows, each time with its own histogram ({@code jcmd GC.class_histogram -all}, taken
 * at the same moment as {@code GC.heap_dump -all}). Each dump goes through archive, index and
 * notify as the Broker would route it. The growth in each later index record must be what the JVM
 * itself counted between its dumps, and the Slack message must show it.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class GrowthBetweenDumpsTest {

    /**
     * CDS keeps mirrors of archived classes not yet loaded in the heap: jcmd counts them, the
     * dumper leaves them out, so this one class cannot match (see HprofAnalyzerAgainstJvmTest).
     */
    private static final String CLASS_CLASS = "java.lang.Class";

    /** A namespace of this run's own: no dump another test indexed is of its workload. */
    private static final String NAMESPACE =
            "ledger-" + UUID.randomUUID().toString().substring(0, 8);

    private static final String POD = "ledger-6f7c9d8b4-q4x2z";
    private static final String SESSION = GrowingJvm.Session.class.getName();
    private static final int[] SESSIONS_ADDED = {20_000, 30_000, 40_000};
    private static final Instant FIRST_CLOSE = Instant.parse("2026-11-22T01:00:00Z");
    private static final Duration APART = Duration.ofHours(2);

    /** Where the test leaves the messages of the last dump, for docs/notifications.md. */
    private static final Path MESSAGES = Path.of("target", "growth-messages");

    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    @Inject S3Client s3;
    SlackRecorder slack;

    /** One dump as the JVM saw it and as dumpflow indexed and announced it. */
    private record Step(JcmdHistogram jvm, DumpIndexed indexed, String slackText) {}

    @Test
    void growthInTheIndexRecordIsWhatTheJvmCountedBetweenItsDumpsAndSlackShowsIt(@TempDir Path dir)
            throws Exception {
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment(NAMESPACE, "ledger", "team-ledger@example.test");
        List<Step> steps = new ArrayList<>();
        try (SidecarStandIn sidecar = SidecarStandIn.start();
                ChildJvm jvm =
                        ChildJvm.start(
                                List.of(
                                        "-Xmx128m",
                                        "-cp",
                                        ChildJvm.testClassPath(),
                                        GrowingJvm.class.getName()),
                                "ready");
                LogCapture log = LogCapture.install()) {
            String uid =
                    cluster.oomKilledPod(NAMESPACE, "ledger", POD, "127.0.0.1", sidecar.port());
            int sessions = 0;
            for (int i = 0; i < SESSIONS_ADDED.length; i++) {
                sessions += SESSIONS_ADDED[i];
                jvm.tell("grow " + SESSIONS_ADDED[i]);
                jvm.awaitOutput("grown " + sessions);
                Path stepDir = Files.createDirectories(dir.resolve("dump-" + i));
                ProfiledJvmDumps.Snapshot snapshot = ProfiledJvmDumps.snapshot(jvm, stepDir, false);
                steps.add(
                        pipeline(sidecar, uid, snapshot, FIRST_CLOSE.plus(APART.multipliedBy(i))));
            }
            writeMessages(steps.getLast(), log);
        }

        assertThat(steps.getFirst().indexed().record().growth()).isNull();
        for (int i = 1; i < steps.size(); i++) {
            Step previous = steps.get(i - 1);
            Step step = steps.get(i);
            Growth growth = step.indexed().record().growth();
            assertThat(growth).as("growth of dump %d", i + 1).isNotNull();
            assertThat(growth.previousDumpId()).isEqualTo(previous.indexed().dumpId());
            assertThat(growth.interval()).isEqualTo(APART);
            assertGrowthIsTheJvmsOwn(growth, previous.jvm(), step.jvm());
            ClassGrowth session = byName(growth, SESSION);
            assertThat(session.instancesDelta()).isEqualTo(SESSIONS_ADDED[i]);
            assertThat(session.monotonic()).as("a leak suspect at dump %d", i + 1).isEqualTo(i > 1);

            assertThat(step.slackText())
                    .contains("*Growth:* since the previous dump 2 h ago: byte[] +")
                    .contains("What grew since the previous dump")
                    .contains("since the previous dump 2 h ago")
                    .contains(
                            String.format(
                                    Locale.ROOT,
                                    "+%s %14s  %s",
                                    HumanBytes.format(session.bytesDelta()),
                                    String.format(Locale.ROOT, "%+,d", session.instancesDelta()),
                                    SESSION));
        }
        assertThat(steps.getLast().slackText())
                .contains("Leak suspects, grown at every step of the last three dumps: ")
                .contains(SESSION + "  (leak suspect)");
        assertThat(steps.getFirst().slackText()).doesNotContain("What grew");
        for (Step step : steps) {
            assertThat(
                            s3.headObject(
                                            b ->
                                                    b.bucket(S3ProxyResource.BUCKET)
                                                            .key(
                                                                    StorageLayout.histogramKey(
                                                                            step.indexed()
                                                                                    .dumpId())))
                                    .contentLength())
                    .isPositive();
        }
    }

    /**
     * Every class the record lists grew by exactly what the two jcmd histograms say, in instances
     * and in bytes; and the record lists the classes that grew most by the JVM's count.
     */
    private static void assertGrowthIsTheJvmsOwn(
            Growth growth, JcmdHistogram before, JcmdHistogram after) {
        assertThat(growth.classes()).hasSizeGreaterThan(3);
        Map<String, JcmdHistogram.Row> was = before.rows();
        JcmdHistogram.Row none = new JcmdHistogram.Row("-", 0, 0);
        for (ClassGrowth c : growth.classes()) {
            if (c.className().equals(CLASS_CLASS)) {
                continue;
            }
            JcmdHistogram.Row is = after.rows().getOrDefault(c.className(), none);
            JcmdHistogram.Row then = was.getOrDefault(c.className(), none);
            assertThat(new long[] {c.instancesDelta(), c.bytesDelta()})
                    .as(c.className())
                    .containsExactly(is.instances() - then.instances(), is.bytes() - then.bytes());
        }
        List<String> jvmTopGrowth =
                after.rows().values().stream()
                        .filter(r -> !r.className().equals(CLASS_CLASS))
                        .sorted(
                                (a, b) ->
                                        Long.compare(
                                                b.bytes()
                                                        - was.getOrDefault(b.className(), none)
                                                                .bytes(),
                                                a.bytes()
                                                        - was.getOrDefault(a.className(), none)
                                                                .bytes()))
                        .limit(4)
                        .map(JcmdHistogram.Row::className)
                        .toList();
        assertThat(growth.classes()).extracting(ClassGrowth::className).containsAll(jvmTopGrowth);
    }

    private static ClassGrowth byName(Growth growth, String className) {
        return growth.classes().stream()
                .filter(c -> c.className().equals(className))
                .findFirst()
                .orElseThrow(() -> new AssertionError(className + " not in " + growth.classes()));
    }

    /** Archives, indexes and notifies one dump, as the Broker's Triggers route the replies. */
    private Step pipeline(
            SidecarStandIn sidecar,
            String uid,
            ProfiledJvmDumps.Snapshot snapshot,
            Instant closedAt)
            throws Exception {
        Path dump = snapshot.plain();
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(dump));
        DumpClosed closed =
                new DumpClosed(
                        dumpId,
                        "java_pid" + 7 + ".hprof",
                        Files.size(dump),
                        closedAt,
                        DumpFormat.HPROF,
                        DumpCause.THRESHOLD,
                        7L,
                        new FetchLocation(
                                sidecar.url(dumpId),
                                ArchiveRequests.TOKEN,
                                closedAt.plus(Duration.ofDays(3650))),
                        new PodIdentity(NAMESPACE, POD, uid, "node-a", "app", null, Map.of()));
        slack.reset();
        Response archived = new ArchiveRequests(json).postBinary(closed);
        assertThat(archived.statusCode()).as(archived.asString()).isEqualTo(200);
        assertThat(archived.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
        Response indexed = forward(archived);
        assertThat(indexed.statusCode()).as(indexed.asString()).isEqualTo(200);
        Response notified = forward(indexed);
        assertThat(notified.statusCode()).as(notified.asString()).isEqualTo(204);
        assertThat(slack.posts()).hasSize(1);
        return new Step(
                snapshot.histogram(),
                json.readValue(indexed.asByteArray(), DumpIndexed.class),
                slackText(slack.posts().getFirst()));
    }

    /** Posts a function's binary-mode reply on to the next function, as the Broker's Trigger. */
    private static Response forward(Response reply) {
        RequestSpecification request = given().contentType(reply.contentType());
        for (Header h : reply.headers()) {
            if (h.getName().toLowerCase(Locale.ROOT).startsWith("ce-")) {
                request = request.header(h.getName(), h.getValue());
            }
        }
        return request.body(reply.asByteArray()).post("/").andReturn();
    }

    /** Every text of the Slack message, with Slack's escapes undone. */
    private String slackText(SlackRecorder.Post post) throws Exception {
        StringBuilder all = new StringBuilder();
        json.readTree(post.body())
                .get("blocks")
                .findValues("text")
                .forEach(
                        t ->
                                all.append(t.isTextual() ? t.asText() : t.path("text").asText())
                                        .append('\n'));
        return all.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** The last dump's growth, Slack post and console line, as the docs show them. */
    private void writeMessages(Step last, LogCapture log) throws Exception {
        Files.createDirectories(MESSAGES);
        Files.writeString(
                MESSAGES.resolve("slack.json"),
                json.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json.readTree(slack.posts().getFirst().body())));
        Files.writeString(MESSAGES.resolve("slack.txt"), last.slackText());
        Files.writeString(
                MESSAGES.resolve("growth.json"),
                json.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(last.indexed().record().growth()));
        String dumpId = last.indexed().dumpId();
        Files.writeString(
                MESSAGES.resolve("console.txt"),
                log.lines().stream()
                        .filter(l -> l.startsWith("INFO dumpflow.notify: dumpId=" + dumpId))
                        .findFirst()
                        .orElse(""),
                StandardCharsets.UTF_8);
    }
}
