package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.records.RecordedDumps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stored dump's Slack post and e-mail say whether it was redacted, and with which mode, from the
 * archive's record; a kept original is named, never linked.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class NotifyRedactionTest {

    private static final AtomicInteger DUMPS = new AtomicInteger();

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
        cluster.deployment("shop", "checkout", NotifyFunctionsTest.TEAM);
        cluster.oomKilledPod("shop", "checkout", Samples.pod().name());
    }

    @Test
    void aRedactedDumpsSlackPostAndEmailSayItWasStoredRedactedAndWithWhichMode() throws Exception {
        DumpArchived archived = archived(new Redaction("strings", Samples.ORIGINAL_SHA256, false));

        Sent sent = notify(archived, IndexRecord.from(archived));

        String line =
                "Stored redacted (strings): char[]/byte[] contents zeroed; see docs/security.md";
        assertThat(sent.slack()).contains(line).doesNotContain("raw/", "break-glass");
        assertThat(sent.text()).contains(line).doesNotContain("raw/", "break-glass");
        assertThat(sent.html()).contains(line).doesNotContain("raw/", "break-glass");
    }

    @Test
    void aKeptOriginalIsSaidToExpireAndToBeBreakGlassOnlyAndIsNeverLinked() throws Exception {
        DumpArchived archived =
                archived(new Redaction("primitives", Samples.ORIGINAL_SHA256, true));

        Sent sent = notify(archived, IndexRecord.from(archived));

        for (String message : List.of(sent.slack(), sent.text(), sent.html())) {
            assertThat(message)
                    .contains("Stored redacted (primitives)")
                    .contains("kept under raw/ until its expiry rule deletes it")
                    .contains("only break-glass access may read it")
                    .doesNotContain(StorageLayout.RAW_PREFIX + archived.pod().namespace())
                    .doesNotContain("/" + StorageLayout.RAW_PREFIX);
        }
        assertThat(sent.html()).doesNotContainPattern("href=\"[^\"]*raw/");
        assertThat(sent.slack()).doesNotContainPattern("<[^|>]*raw/[^|>]*\\|");
    }

    @Test
    void aDumpStoredAsFetchedSaysNothingOfRedaction() throws Exception {
        DumpArchived archived = archived(null);

        Sent sent = notify(archived, IndexRecord.from(archived));

        for (String message : List.of(sent.slack(), sent.text(), sent.html())) {
            assertThat(message)
                    .contains("Heap dump of shop/checkout", "SHA-256")
                    .doesNotContain("redacted", "Redaction", "break-glass", "raw/");
        }
    }

    @Test
    void theArchivesRecordDecidesEvenWhenTheIndexRecordPredatesRedactionInIt() throws Exception {
        DumpArchived archived = archived(new Redaction("strings", Samples.ORIGINAL_SHA256, true));
        IndexRecord olderIndexRecord =
                IndexRecord.from(archived(null, archived.dumpId()))
                        .withKubernetes(Samples.indexRecord().kubernetes());

        Sent sent = notify(archived, olderIndexRecord);

        assertThat(sent.slack()).contains("Stored redacted (strings)", "break-glass");
        assertThat(sent.text()).contains("Stored redacted (strings)", "break-glass");
    }

    /** What the archive stored for a fresh dump: each test's own dumpId, as records are once. */
    private static DumpArchived archived(Redaction redaction) {
        return archived(
                redaction, "20261122T034912Z-ntfred%02d".formatted(DUMPS.incrementAndGet()));
    }

    private static DumpArchived archived(Redaction redaction, String dumpId) {
        DumpArchived s = Samples.dumpArchived();
        return new DumpArchived(
                dumpId,
                s.fileName(),
                s.closedAt(),
                s.format(),
                s.cause(),
                s.pid(),
                s.bucket(),
                StorageLayout.dumpKey(s.pod(), dumpId, s.format(), s.closedAt()),
                s.codec(),
                s.rawBytes(),
                s.storedBytes(),
                s.sha256(),
                s.durationMs(),
                s.archivedAt(),
                s.analysis(),
                s.pod(),
                redaction);
    }

    private record Sent(String slack, String text, String html) {}

    private Sent notify(DumpArchived archived, IndexRecord index) throws Exception {
        RecordedDumps.record(s3, json, archived);
        DumpIndexed indexed = new DumpIndexed(index.dumpId(), StorageLayout.indexKey(index), index);
        RecordedDumps.indexed(s3, json, indexed);
        given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", EventTypes.DUMP_INDEXED)
                .header("ce-source", "/dumpflow/index")
                .body(json.writeValueAsBytes(indexed))
                .post("/")
                .then()
                .statusCode(204);
        assertThat(slack.posts()).hasSize(1);
        StringBuilder slackText = new StringBuilder();
        json.readTree(slack.posts().getFirst().body())
                .get("blocks")
                .findValues("text")
                .forEach(
                        t ->
                                slackText
                                        .append(
                                                t.isTextual()
                                                        ? t.asText()
                                                        : t.path("text").asText())
                                        .append('\n'));
        MimeMessage[] mails = greenMail.getReceivedMessages();
        assertThat(mails).isNotEmpty();
        return new Sent(
                slackText.toString(), part(mails[0], "text/plain"), part(mails[0], "text/html"));
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
