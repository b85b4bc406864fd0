package dev.dumpflow.functions.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.notify.SlackRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A dump the archive function can never fetch (its sidecar answers 503 to every request), sent to
 * the local broker that routes and retries by the repository's real {@code knative/} manifests:
 * after the Broker's retries the event reaches the dead-letter sink, {@code POST /dead-letter},
 * which sends {@code dump.failed} back through the Broker to the notify function. A person is told
 * on Slack and by e-mail that the dump was NOT saved, at which step, why, and where it still sits.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class DeadLetterEndToEndTest {

    private static final String TOKEN = "dGhpcy1pcy10aGUtc2lkZWNhci10b2tlbi1vZi10aGUtZHVtcA";

    /** The manifests' 5 retries wait 2 + 4 + 8 + 16 + 32 s; then the dead letter goes out. */
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @Inject ObjectMapper json;
    @Inject S3Client s3;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    private HttpServer sidecar;
    private String podUid;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void startASidecarThatNeverServes() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        sidecar = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sidecar.createContext(
                "/",
                exchange -> {
                    fetches.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                });
        sidecar.start();
        // The claim holds: the sample pod exists, and its dump-fetch port is this sidecar's.
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment("shop", "checkout", "team-checkout@example.test");
        podUid =
                cluster.oomKilledPod(
                        "shop",
                        "checkout",
                        Samples.pod().name(),
                        "127.0.0.1",
                        sidecar.getAddress().getPort());
    }

    @AfterEach
    void stopTheSidecar() {
        sidecar.stop(0);
    }

    @Test
    void aDumpThatExhaustsItsRetriesIsReportedNotSavedWithItsStepReasonAndPlace() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        String dumpId = "20261206T050000Z-" + UUID.randomUUID().toString().substring(0, 8);
        URI where =
                URI.create(
                        "http://127.0.0.1:%d/dumps/%s"
                                .formatted(sidecar.getAddress().getPort(), dumpId));
        DumpClosed closed =
                new DumpClosed(
                        dumpId,
                        "java_pid7.hprof",
                        4096,
                        Instant.now(),
                        DumpFormat.HPROF,
                        DumpCause.OOM,
                        7L,
                        new FetchLocation(where, TOKEN, Instant.now().plus(Duration.ofHours(1))),
                        new PodIdentity(
                                "shop",
                                Samples.pod().name(),
                                podUid,
                                "node-a",
                                "app",
                                null,
                                Samples.pod().labels()));

        try (LogCapture log = LogCapture.install()) {
            given().contentType("application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", UUID.randomUUID().toString())
                    .header("ce-type", EventTypes.DUMP_CLOSED)
                    .header("ce-source", "/namespaces/shop/pods/checkout/containers/app")
                    .header("ce-dumpid", dumpId)
                    .body(json.writeValueAsBytes(closed))
                    .post(brokerIngress())
                    .then()
                    .statusCode(202);

            await(
                    "a Slack post and an e-mail about " + dumpId,
                    () ->
                            "Slack posts %d, e-mails %d, fetches %d"
                                    .formatted(
                                            slack.posts().size(),
                                            greenMail.getReceivedMessages().length,
                                            fetches.get()),
                    () ->
                            slack.posts().stream().anyMatch(p -> p.body().contains(dumpId))
                                    && greenMail.getReceivedMessages().length > 0);

            assertThat(fetches.get())
                    .as("the first attempt and the manifests' 5 retries each tried the sidecar")
                    .isGreaterThanOrEqualTo(6);
            String post = slack.posts().getFirst().body();
            MimeMessage mail = greenMail.getReceivedMessages()[0];
            for (String text : List.of(post, mail.getSubject() + "\n" + text(mail))) {
                assertThat(text)
                        .contains(
                                "NOT saved",
                                dumpId,
                                "archive",
                                "HTTP 503",
                                "the sidecar answered 503",
                                where.toString(),
                                Samples.pod().name())
                        .doesNotContain(TOKEN);
            }
            assertThat(log.lines())
                    .anySatisfy(
                            l ->
                                    assertThat(l)
                                            .contains(
                                                    dumpId,
                                                    "NOT saved",
                                                    dumpId + ".failed.archive"));

            // Knative may dead-letter the same event again (its own retries, a redelivery):
            // the dump.failed it makes has the same id, and nobody is told twice.
            byte[] letter = json.writeValueAsBytes(closed);
            given().contentType("application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", UUID.randomUUID().toString())
                    .header("ce-type", EventTypes.DUMP_CLOSED)
                    .header("ce-source", "/namespaces/shop/pods/checkout/containers/app")
                    .header("ce-knativeerrorcode", "503")
                    .body(letter)
                    .post("/dead-letter")
                    .then()
                    .statusCode(202);
            String slackDuplicate =
                    "dumpflow_notifications_total{channel=\"slack\",outcome=\"duplicate\"}";
            String emailDuplicate =
                    "dumpflow_notifications_total{channel=\"email\",outcome=\"duplicate\"}";
            await(
                    "the repeated dump.failed recognised as sent",
                    () -> "Slack posts " + slack.posts().size(),
                    () -> {
                        ScrapedMetrics now = ScrapedMetrics.scrape();
                        return now.value(slackDuplicate) > before.value(slackDuplicate)
                                && now.value(emailDuplicate) > before.value(emailDuplicate);
                    });
        }
        assertThat(
                        ScrapedMetrics.scrape().value("dumpflow_dead_letters_total")
                                - before.value("dumpflow_dead_letters_total"))
                .as("the Broker's dead letter and the repeated one")
                .isGreaterThanOrEqualTo(2);
        assertThat(slack.posts()).filteredOn(p -> p.body().contains(dumpId)).hasSize(1);
        // One mail; GreenMail keeps a copy for each recipient (on-call and the pod's team).
        assertThat(
                        Arrays.stream(greenMail.getReceivedMessages())
                                .filter(m -> subject(m).contains(dumpId))
                                .map(m -> messageId(m))
                                .distinct())
                .hasSize(1);
        assertThat(
                        s3
                                .listObjectsV2(b -> b.bucket(bucket()).prefix("dumps/"))
                                .contents()
                                .stream()
                                .filter(o -> o.key().contains(dumpId)))
                .as("nothing stored for a dump never fetched")
                .isEmpty();
    }

    @Test
    void aDeadLetterThatIsNoCloudEventIsRefusedWith400() {
        given().contentType("application/json")
                .body("{}")
                .post("/dead-letter")
                .then()
                .statusCode(400);
    }

    /** Every text part of a message, decoded. */
    private static String text(Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            StringBuilder texts = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                texts.append(text(multipart.getBodyPart(i))).append('\n');
            }
            return texts.toString();
        }
        return content instanceof String s ? s : "";
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static String bucket() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("dumpflow.bucket", String.class);
    }

    private static void await(String what, Supplier<String> progress, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not " + what + " within " + DEADLINE + ": " + progress.get());
            }
            Thread.sleep(100);
        }
    }

    private static String messageId(MimeMessage mail) {
        try {
            return mail.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local broker's ingress: the functions' K_SINK (LocalBrokerResource). */
    private static URI brokerIngress() {
        return ConfigProvider.getConfig().getValue("K_SINK", URI.class);
    }
}
