package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Free text that no record refuses (a class name from a hostile dump, a failure reason quoting what
 * a step answered) reaches Slack and e-mail with its line breaks and terminal escapes shown, never
 * acted on: no control character in a Slack block or a mail header, and every text stays on its
 * line.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class HostileTextTest {

    /** CR, LF and a terminal escape that would paint what follows red. */
    static final String EVIL_CLASS = "com.evil.Payload\r\nX-Injected: yes\u001b[31mRed";

    static final String EVIL_REASON =
            "S3 answered:\r\nSubject: forged\r\n\r\n2026-12-07 INFO all is well\u001b[2J";

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
    void aClassNameWithLineBreaksAndEscapesFromAHostileDumpStaysOneLineInSlackAndEmail()
            throws Exception {
        DumpIndexed indexed = indexedWithHostileClassNames();
        RecordedDumps.indexed(s3, json, indexed);

        int status = post(EventTypes.DUMP_INDEXED, indexed);

        assertThat(status).isEqualTo(204);
        assertSlackPostIsClean("com.evil.Payload\\r\\nX-Injected: yes\\u001b[31mRed");
        assertMailIsClean("com.evil.Payload\\r\\nX-Injected: yes\\u001b[31mRed");
    }

    @Test
    void aFailureReasonWithLineBreaksAndEscapesStaysOneLineInSlackAndEmail() throws Exception {
        DumpFailed s = Samples.dumpFailed();
        DumpFailed failed =
                new DumpFailed(
                        s.dumpId(),
                        s.stage(),
                        FailureCode.DEAD_LETTERED,
                        EVIL_REASON,
                        s.failedType(),
                        s.location(),
                        s.pod());

        int status = post(EventTypes.DUMP_FAILED, failed);

        assertThat(status).isEqualTo(204);
        String shown =
                "S3 answered:\\r\\nSubject: forged\\r\\n\\r\\n2026-12-07 INFO all is well\\u001b[2J";
        assertSlackPostIsClean(shown);
        assertMailIsClean(shown);
    }

    /** One post; no control character anywhere but the line breaks Slack's own layout puts. */
    private void assertSlackPostIsClean(String shown) throws Exception {
        assertThat(slack.posts()).hasSize(1);
        JsonNode message = json.readTree(slack.posts().getFirst().body());
        assertThat(message.get("text").asText().chars()).noneMatch(Character::isISOControl);
        JsonNode header = message.get("blocks").get(0);
        assertThat(header.get("type").asText()).isEqualTo("header");
        assertThat(header.get("text").get("text").asText().chars())
                .noneMatch(Character::isISOControl);
        List<String> lines = new ArrayList<>();
        for (JsonNode text : message.get("blocks").findValues("text")) {
            String value = text.isTextual() ? text.asText() : text.path("text").asText();
            assertThat(value.chars()).noneMatch(c -> c != '\n' && Character.isISOControl(c));
            lines.addAll(value.lines().toList());
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(shown));
        assertThat(lines).noneSatisfy(line -> assertThat(line).startsWith("X-Injected"));
    }

    /** One mail; its headers hold no control character, and each value stays on its line. */
    private void assertMailIsClean(String shown) throws Exception {
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).isNotEmpty();
        MimeMessage mail = received[0];
        assertThat(mail.getSubject().chars()).noneMatch(Character::isISOControl);
        for (String line : Collections.list(mail.getAllHeaderLines())) {
            // Folding (CRLF and a blank) is how long headers continue; nothing else may break one.
            String unfolded = line.replaceAll("\r\n[ \t]", " ");
            assertThat(unfolded.chars()).as(line).noneMatch(Character::isISOControl);
        }
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(mail.getHeader("Subject")).hasSize(1);
        for (String type : List.of("text/plain", "text/html")) {
            String body = part(mail, type);
            assertThat(body.chars())
                    .as(type)
                    .noneMatch(c -> c != '\n' && c != '\r' && Character.isISOControl(c));
            assertThat(body.lines()).as(type).anySatisfy(l -> assertThat(l).contains(shown));
        }
    }

    private DumpIndexed indexedWithHostileClassNames() {
        DumpArchived a = Samples.dumpArchived();
        String dumpId = "20261122T034912Z-" + UUID.randomUUID().toString().substring(0, 8);
        HeapSummary s = Samples.heapSummary();
        HeapSummary hostile =
                new HeapSummary(
                        true,
                        "cut at a record of tag 0x2c\r\nand more\u001b[0m",
                        s.totalObjects(),
                        s.totalBytes(),
                        s.classCount(),
                        List.of(
                                new HeapSummary.ClassStat(EVIL_CLASS, 400_000, 40_000_000),
                                new HeapSummary.ClassStat("java.lang.String", 300_000, 7_200_000)),
                        List.of(new HeapSummary.ArrayStat(EVIL_CLASS + "[]", 10, 56)),
                        s.gcRoots(),
                        s.layout());
        DumpArchived archived =
                new DumpArchived(
                        dumpId,
                        a.fileName(),
                        a.closedAt(),
                        a.format(),
                        a.cause(),
                        a.pid(),
                        a.bucket(),
                        StorageLayout.dumpKey(a.pod(), dumpId, a.format(), a.closedAt()),
                        a.codec(),
                        a.rawBytes(),
                        a.storedBytes(),
                        a.sha256(),
                        a.durationMs(),
                        a.archivedAt(),
                        hostile,
                        a.pod());
        IndexRecord record = IndexRecord.from(archived);
        return new DumpIndexed(dumpId, StorageLayout.indexKey(record), record);
    }

    private int post(String type, Object data) throws Exception {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", type)
                .header("ce-source", "/dumpflow/test")
                .body(json.writeValueAsBytes(data))
                .post("/")
                .andReturn()
                .statusCode();
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
