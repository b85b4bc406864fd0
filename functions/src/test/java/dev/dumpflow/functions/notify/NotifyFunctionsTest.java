package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.records.RecordedDumps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@TestProfile(FullStackProfile.class)
class NotifyFunctionsTest {

    static final String TEAM = "team-checkout@example.test";

    @Inject ObjectMapper json;
    @Inject S3Client s3;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    @BeforeEach
    void reset() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment("shop", "checkout", TEAM);
        cluster.oomKilledPod("shop", "checkout", Samples.pod().name());
    }

    @Test
    void anIndexedDumpGivesOneSlackPostAndOneEmailWithTheFacts() throws Exception {
        DumpIndexed indexed = Samples.dumpIndexed();

        Response reply = post(EventTypes.DUMP_INDEXED, "/dumpflow/index", newId(), indexed);

        assertThat(reply.statusCode()).isEqualTo(204);
        List<SlackRecorder.Post> posts = slack.posts();
        assertThat(posts).hasSize(1);
        String slackText = slackText(posts.getFirst());
        MimeMessage mail = onlyMail();
        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        for (String fact :
                List.of(
                        "Deployment shop/checkout",
                        "shop/checkout-7d9f8b6c5-x2x9q",
                        "node-a",
                        "oom",
                        "117.7 MiB",
                        "11.8 MiB",
                        "10.0×",
                        Samples.SHA256,
                        "OOMKilled",
                        "Restart count",
                        "Back-off restarting failed container",
                        "What filled the heap",
                        "java.lang.String",
                        "400,000",
                        "byte[] of length 10,485,760")) {
            assertThat(slackText).as("Slack post").contains(fact);
            assertThat(text).as("text part").contains(fact);
            assertThat(html).as("HTML part").contains(fact.replace("&", "&amp;"));
        }
        String link = linkIn(text);
        assertThat(link)
                .as("a link notify signed itself, for the recorded key")
                .contains(indexed.record().key())
                .contains("X-Amz-Expires=86400");
        assertThat(slackText).contains(link.replace("&", "&amp;"));
        assertThat(html).contains("href=\"" + link.replace("&", "&amp;") + "\"");
        assertThat(recipients(mail)).containsExactlyInAnyOrder(FullStackProfile.ONCALL, TEAM);
        assertThat(mail.getSubject()).startsWith("[dumpflow] Heap dump of shop/checkout stored");
    }

    @Test
    void threeConcurrentDeliveriesOfOneEventNotifyOnce() throws Exception {
        String id = newId();
        List<Callable<Integer>> deliveries =
                Collections.nCopies(
                        3,
                        () ->
                                post(
                                                EventTypes.DUMP_INDEXED,
                                                "/dumpflow/index",
                                                id,
                                                Samples.dumpIndexed())
                                        .statusCode());
        List<Integer> statuses = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(3)) {
            for (var result : pool.invokeAll(deliveries)) {
                statuses.add(result.get());
            }
        }

        assertThat(statuses).containsOnly(204);
        assertThat(slack.posts()).hasSize(1);
        onlyMail();
    }

    @Test
    void aHugeAnalysisStaysWithinSlackLimits() throws Exception {
        List<HeapSummary.ClassStat> classes =
                IntStream.range(0, 500)
                        .mapToObj(
                                i ->
                                        new HeapSummary.ClassStat(
                                                "com.example.generated." + "Deep".repeat(2_000) + i,
                                                1_000L - i,
                                                1_000_000L - i))
                        .toList();
        HeapSummary s = Samples.heapSummary();
        HeapSummary huge =
                new HeapSummary(
                        true,
                        "cut at offset 42",
                        s.totalObjects(),
                        s.totalBytes(),
                        500,
                        classes,
                        s.largestArrays(),
                        s.gcRoots(),
                        s.layout());
        IndexRecord r = Samples.indexRecord();
        IndexRecord record =
                new IndexRecord(
                        r.dumpId(),
                        r.fileName(),
                        r.closedAt(),
                        r.format(),
                        r.cause(),
                        r.pid(),
                        r.bucket(),
                        r.key(),
                        r.codec(),
                        r.rawBytes(),
                        r.storedBytes(),
                        r.sha256(),
                        r.archivedAt(),
                        r.pod()
                                .withWorkload(
                                        new PodIdentity.Workload("Deployment", "w".repeat(240))),
                        r.kubernetes(),
                        huge,
                        null);
        DumpIndexed indexed =
                new DumpIndexed(record.dumpId(), StorageLayout.indexKey(record), record);

        assertThat(post(EventTypes.DUMP_INDEXED, "/dumpflow/index", newId(), indexed).statusCode())
                .isEqualTo(204);

        JsonNode message = json.readTree(slack.posts().getFirst().body());
        JsonNode blocks = message.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText())
                .hasSizeLessThanOrEqualTo(150)
                .endsWith("…");
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                assertThat(block.get("text").get("text").asText()).hasSizeLessThanOrEqualTo(3000);
            }
        }
        assertThat(message.toString()).contains("Partial figures", "and 480 more classes", "…");
        assertThat(onlyMail()).isNotNull();
    }

    @Test
    void honoursRetryAfterAndNeverLogsTheWebhookUrlOrTheDownloadLink() throws Exception {
        slack.answerNext(429, Map.of("Retry-After", "1"));
        DumpIndexed indexed = Samples.dumpIndexed();

        try (LogCapture log = LogCapture.install()) {
            Response reply = post(EventTypes.DUMP_INDEXED, "/dumpflow/index", newId(), indexed);

            assertThat(reply.statusCode()).isEqualTo(204);
            List<SlackRecorder.Post> posts = slack.posts();
            assertThat(posts).extracting(SlackRecorder.Post::answered).containsExactly(429, 200);
            assertThat(Duration.between(posts.get(0).at(), posts.get(1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(log.text())
                    .contains("retrying in 1000 ms", "posted to Slack (attempt 2)")
                    .doesNotContain(
                            SlackRecorder.SECRET_PATH,
                            "xoxSecretWebhookToken42",
                            slack.webhookUrl(),
                            indexed.record().key() + "?",
                            "X-Amz-Expires");
        }
    }

    @Test
    void aSlackOutageFailsRetryablyAndTheRedeliveryDoesNotMailTwice() throws Exception {
        for (int i = 0; i < 4; i++) {
            slack.answerNext(500, Map.of());
        }
        String id = newId();

        try (LogCapture log = LogCapture.install()) {
            Response failed =
                    post(EventTypes.DUMP_INDEXED, "/dumpflow/index", id, Samples.dumpIndexed());
            Response redelivered =
                    post(EventTypes.DUMP_INDEXED, "/dumpflow/index", id, Samples.dumpIndexed());

            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(redelivered.statusCode()).isEqualTo(204);
            assertThat(slack.posts())
                    .extracting(SlackRecorder.Post::answered)
                    .containsExactly(500, 500, 500, 500, 200);
            assertThat(greenMail.getReceivedMessages()).hasSize(2); // one mail, two recipients
            assertThat(log.text()).doesNotContain("xoxSecretWebhookToken42");
        }
    }

    @Test
    void aRetryAfterLongerThanTheWaitBudgetFailsAtOnceForTheBrokerToRetry() throws Exception {
        slack.answerNext(429, Map.of("Retry-After", "60"));

        long started = System.nanoTime();
        Response reply =
                post(EventTypes.DUMP_INDEXED, "/dumpflow/index", newId(), Samples.dumpIndexed());

        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(slack.posts()).hasSize(1);
    }

    @Test
    void aSlackRefusalIsCountedAndNotRetriedWhileTheMailGoesOut() throws Exception {
        slack.answerNext(400, Map.of());
        String refused = "dumpflow_notifications_total{channel=\"slack\",outcome=\"refused\"}";
        String mailed = "dumpflow_notifications_total{channel=\"email\",outcome=\"sent\"}";
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response reply =
                post(EventTypes.DUMP_INDEXED, "/dumpflow/index", newId(), Samples.dumpIndexed());

        assertThat(reply.statusCode()).isEqualTo(204);
        assertThat(slack.posts()).hasSize(1);
        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(after.value(refused) - before.value(refused)).isEqualTo(1);
        assertThat(after.value(mailed) - before.value(mailed)).isEqualTo(1);
    }

    @Test
    void fiftyReplicasCrossingTogetherSendOneSlackPostAndOneEmail() throws Exception {
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment("shop", "batch-api", TEAM);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String podName = "batch-api-5f6d7c8b9-r" + i;
            String uid = cluster.oomKilledPod("shop", "batch-api", podName);
            MemoryThresholdCrossed s = Samples.thresholdCrossed();
            PodIdentity p = Samples.pod();
            PodIdentity pod =
                    new PodIdentity(
                            p.namespace(), podName, uid, "node-" + i, "app", null, p.labels());
            MemoryThresholdCrossed crossed =
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
            statuses.add(
                    post(
                                    EventTypes.MEMORY_THRESHOLD_CROSSED,
                                    "/namespaces/shop/pods/" + podName + "/containers/app",
                                    newId(),
                                    crossed)
                            .statusCode());
        }

        assertThat(statuses).containsOnly(204);
        assertThat(slack.posts()).hasSize(1);
        assertThat(slackText(slack.posts().getFirst()))
                .contains(
                        "Deployment shop/batch-api",
                        "1.0 GiB",
                        "2.0 GiB",
                        "jvm",
                        "java -Xmx1g -jar checkout.jar");
        MimeMessage mail = onlyMail();
        assertThat(part(mail, "text/plain"))
                .contains(
                        "RSS: 1.0 GiB",
                        "Threshold: 1.0 GiB",
                        "Limit: 2.0 GiB",
                        "Next threshold: 2.0 GiB",
                        "PID: 42");
    }

    @Test
    void aFailedDumpSaysItWasNotSavedWhyAndWhereItSits() throws Exception {
        Response reply =
                post(EventTypes.DUMP_FAILED, "/dumpflow/deadletter", newId(), Samples.dumpFailed());

        assertThat(reply.statusCode()).isEqualTo(204);
        String slackText = slackText(slack.posts().getFirst());
        MimeMessage mail = onlyMail();
        for (String text : List.of(slackText, part(mail, "text/plain"), part(mail, "text/html"))) {
            assertThat(text)
                    .contains(
                            "NOT saved",
                            "S3 answered 503 Service Unavailable on every attempt",
                            "http://10.1.2.3:8787/dumps/20261122T034912Z-7f3a9c01",
                            "shop/checkout-7d9f8b6c5-x2x9q",
                            "archive");
        }
        assertThat(mail.getSubject()).contains("NOT saved");
    }

    @Test
    void anUnredactableDumpSaysItWasNotSavedAndIsNowhere() throws Exception {
        DumpFailed sample = Samples.dumpFailed();
        DumpFailed unredactable =
                new DumpFailed(
                        sample.dumpId(),
                        "archive",
                        FailureCode.UNREDACTABLE,
                        "the redaction policy (strings) cannot be applied: a dotnet dump cannot be"
                                + " redacted, only HPROF; nothing was stored and the sidecar's"
                                + " copy was deleted, as the policy forbids keeping it",
                        EventTypes.DUMP_CLOSED,
                        sample.location(),
                        sample.pod());

        Response reply = post(EventTypes.DUMP_FAILED, "/dumpflow/archive", newId(), unredactable);

        assertThat(reply.statusCode()).isEqualTo(204);
        String slackText = slackText(slack.posts().getFirst());
        assertThat(slackText)
                .contains("NOT saved", "redaction policy could not be applied", "copy was deleted")
                .doesNotContain("Still sits at", "keeps the file", "gave up after retries");
    }

    @Test
    void aMalformedNotificationEventIsRefusedWith400AndSendsNothing() {
        Response reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", newId())
                        .header("ce-type", EventTypes.MEMORY_THRESHOLD_CROSSED)
                        .header("ce-source", "/namespaces/shop/pods/x/containers/app")
                        .body("{\"pid\": -1, \"command\": \"java\"}")
                        .post("/")
                        .andReturn();

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(slack.posts()).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    private Response post(String type, String source, String id, Object data) throws Exception {
        if (data instanceof DumpIndexed indexed) {
            RecordedDumps.indexed(s3, json, indexed);
        }
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", type)
                .header("ce-source", source)
                .body(json.writeValueAsBytes(data))
                .post("/")
                .andReturn();
    }

    /** The presigned link in a message's text. */
    private static String linkIn(String text) {
        Matcher m = Pattern.compile("https?://\\S+X-Amz-Expires\\S*").matcher(text);
        assertThat(m.find()).as("a presigned link in: %s", text).isTrue();
        return m.group();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Every text of the Slack message, with Slack's escaping of &, < and > kept. */
    private String slackText(SlackRecorder.Post post) throws Exception {
        StringBuilder all = new StringBuilder();
        json.readTree(post.body())
                .get("blocks")
                .findValues("text")
                .forEach(
                        t ->
                                all.append(t.isTextual() ? t.asText() : t.path("text").asText())
                                        .append('\n'));
        return all.toString();
    }

    /** The one mail sent; GreenMail holds a copy per recipient. */
    private MimeMessage onlyMail() throws Exception {
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).isNotEmpty();
        assertThat(received)
                .extracting(m -> m.getHeader("Message-ID")[0])
                .containsOnly(received[0].getHeader("Message-ID")[0]);
        return received[0];
    }

    private static List<String> recipients(MimeMessage mail) throws Exception {
        List<String> to = new ArrayList<>();
        for (Address a : mail.getAllRecipients()) {
            to.add(a.toString());
        }
        return to;
    }

    private static String part(Part part, String type) throws Exception {
        if (part.isMimeType(type)) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String found = part(body, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
