package dev.dumpflow.functions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.oom.KilledPods;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An OOM kill through the local broker, routed by the repository's real {@code knative/} Triggers:
 * the sidecar's threshold warning goes to notify, which keeps the crossing; the ApiServerSource's
 * update of the killed pod goes to the OOM-kill handler, which re-reads the pod from the API server
 * and replies {@code container.oomkilled}; the broker routes that to notify, which posts to Slack
 * and mails the team. The messages are written to {@code target/oom-kill-message/} for {@code
 * docs/oom-kill.md}.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class OomKillEndToEndTest {

    private static final long MIB = 1024 * 1024;
    private static final Duration WITHIN = Duration.ofSeconds(10);

    /**
     * The mail may come one mailer timeout (10 s) later: a send the mail client loses is tried once
     * more (EmailChannel); the Slack post does not wait for it.
     */
    private static final Duration MAIL_WITHIN = WITHIN.plusSeconds(15);

    private static final Path MESSAGES = Path.of("target", "oom-kill-message");

    @Inject KubernetesClient kube;
    @Inject S3Client s3;
    @Inject ObjectMapper json;
    SlackRecorder slack;
    GreenMail greenMail;

    @Test
    void anApiServerSourceUpdateOfAnOomKilledPodBringsASlackPostWithTheVerdictAndTheLastDump()
            throws Exception {
        KilledPods pods = new KilledPods(kube, s3, json);
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        String dumpId = pods.storedDump(killed, killed.killedAt().minusSeconds(42), 400 * MIB);
        crossing(pods, killed, 440 * MIB, 435 * MIB);

        String post = reported(pods, killed, "heap", dumpId);

        assertThat(post).contains("Download the dump", "78% of the limit", "byte[]");
    }

    @Test
    void aKillAfterASmallHeapIsToldAsNonHeapWithWhereToLook() throws Exception {
        KilledPods pods = new KilledPods(kube, s3, json);
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());
        String dumpId = pods.storedDump(killed, killed.killedAt().minusSeconds(95), 120 * MIB);

        String post = reported(pods, killed, "non-heap", dumpId);

        assertThat(post).contains("direct buffers", "metaspace", "NativeMemoryTracking");
    }

    @Test
    void aKillWithoutADumpIsToldAsUnknownWithTheThresholdsThatWouldHaveCaughtIt() throws Exception {
        KilledPods pods = new KilledPods(kube, s3, json);
        KilledPods.Killed killed = pods.oomKilled(KilledPods.newPodName());

        String post = reported(pods, killed, "unknown", null);

        assertThat(post).contains("DUMPFLOW_THRESHOLDS=80%,95%", "DUMPFLOW_THRESHOLDS=256Mi,x2");
    }

    /** The sidecar's warning through the broker, and notify keeping its crossing. */
    private void crossing(KilledPods pods, KilledPods.Killed killed, long rss, long threshold)
            throws Exception {
        String name = killed.pod().getMetadata().getName();
        assertThat(
                        pods.postCrossing(
                                        brokerIngress(),
                                        KilledPods.crossing(killed, rss, threshold, null),
                                        killed.killedAt().minusSeconds(60))
                                .statusCode())
                .isEqualTo(202);
        await(
                "the crossing kept",
                WITHIN,
                () ->
                        !s3.listObjectsV2(
                                        b ->
                                                b.bucket(S3ProxyResource.BUCKET)
                                                        .prefix(
                                                                StorageLayout.thresholdsPrefix(
                                                                        KilledPods.NAMESPACE,
                                                                        name)))
                                .contents()
                                .isEmpty());
    }

    /**
     * Sends the pod's update through the broker as the ApiServerSource does, waits for the Slack
     * post and the mail about the kill, checks both name the kill, the verdict and the last dump,
     * and keeps them for the documentation.
     *
     * @return the Slack post's body
     */
    private String reported(
            KilledPods pods, KilledPods.Killed killed, String verdict, String dumpId)
            throws Exception {
        String name = killed.pod().getMetadata().getName();
        try (LogCapture log = LogCapture.install()) {
            long sent = System.nanoTime();
            assertThat(
                            pods.postUpdate(
                                            brokerIngress(),
                                            UUID.randomUUID().toString(),
                                            killed.pod())
                                    .statusCode())
                    .isEqualTo(202);
            await(
                    "a Slack post about the kill of " + name,
                    WITHIN,
                    () -> postAbout(name).isPresent());
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            await(
                    "the mail about the kill of " + name,
                    MAIL_WITHIN,
                    () -> mailAbout(name).isPresent());

            String post = postAbout(name).orElseThrow().body();
            String mail = text(mailAbout(name).orElseThrow());
            for (String message : List.of(post, mail)) {
                assertThat(message).contains("OOMKilled", "verdict: " + verdict, name);
                if (dumpId != null) {
                    assertThat(message).contains(dumpId);
                }
            }
            System.out.printf(
                    "OOM kill (%s) to Slack post through the local broker: %d ms%n",
                    verdict, took.toMillis());
            keep(verdict, post, mail, log.lines());
            return post;
        }
    }

    /** The messages as sent, for the documentation, with the download link's signature cut. */
    private void keep(String verdict, String post, String mail, List<String> log) throws Exception {
        Files.createDirectories(MESSAGES);
        Files.writeString(
                MESSAGES.resolve(verdict + "-slack.json"),
                json.copy()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(json.readTree(unsigned(post))));
        Files.writeString(MESSAGES.resolve(verdict + "-email.txt"), unsigned(mail));
        Files.writeString(
                MESSAGES.resolve(verdict + "-console.txt"),
                String.join(
                        "\n",
                        log.stream()
                                .filter(
                                        l ->
                                                l.contains("dumpflow.notify")
                                                        && l.contains("OOMKilled"))
                                .toList()));
    }

    private static String unsigned(String text) {
        return text.replaceAll("X-Amz-[A-Za-z-]+=[^&\"\\s>|]+", "X-Amz-...=...");
    }

    private Optional<SlackRecorder.Post> postAbout(String pod) {
        return slack.posts().stream()
                .filter(p -> p.body().contains("OOMKilled") && p.body().contains(pod))
                .findFirst();
    }

    private Optional<MimeMessage> mailAbout(String pod) {
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                if (m.getSubject().contains("OOMKilled") && text(m).contains(pod)) {
                    return Optional.of(m);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
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

    private static void await(String what, Duration within, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + within);
            }
            Thread.sleep(20);
        }
    }

    /** The local broker's ingress: the functions' K_SINK (LocalBrokerResource). */
    private static URI brokerIngress() {
        return ConfigProvider.getConfig().getValue("K_SINK", URI.class);
    }
}
