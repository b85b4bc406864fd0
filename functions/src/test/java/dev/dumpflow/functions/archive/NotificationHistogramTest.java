package dev.dumpflow.functions.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.analysis.ChildJvm;
import dev.dumpflow.analysis.JcmdHistogram;
import dev.dumpflow.analysis.ProfiledJvmDumps;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.notify.HeapSummaryText;
import dev.dumpflow.functions.notify.SlackRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of a real dump, function by function, as the Broker would route it: a JVM the test
 * did not design ({@code jdb} idle at its prompt, as in {@code ForeignJvmTest}) is dumped with its
 * own histogram taken at the same moment; the sidecar stand-in serves the file; {@code dump.closed}
 * goes to archive, its {@code dump.archived} reply to index, and the {@code dump.indexed} reply to
 * notify. What the Slack post and the e-mail say filled the heap must be what the JVM itself
 * counted.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class NotificationHistogramTest {

    /** A class line of the heap summary: shallow bytes, instance count, class name. */
    private static final Pattern CLASS_LINE =
            Pattern.compile("^\\s*(?:\\d+ B|\\d+\\.\\d [KMGT]iB)\\s+([\\d,]+)  (\\S+)$");

    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    @Test
    void theNotifiedTopClassesOfAForeignJvmEqualItsOwnHistogram(@TempDir Path dir)
            throws Exception {
        ProfiledJvmDumps.Snapshot snapshot;
        try (ChildJvm jvm =
                ChildJvm.start(
                        List.of("-Xmx64m", "-m", "jdk.jdi/com.sun.tools.example.debug.tty.TTY"),
                        "Initializing jdb")) {
            snapshot = ProfiledJvmDumps.snapshot(jvm, dir, false);
        }
        Path dump = snapshot.plain();
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment("shop", "checkout", "team-checkout@example.test");

        Response archivedReply;
        try (SidecarStandIn sidecar = SidecarStandIn.start()) {
            // The claim holds: the pod's IP and dump-fetch port are this sidecar's.
            String uid =
                    cluster.oomKilledPod(
                            "shop", "checkout", Samples.pod().name(), "127.0.0.1", sidecar.port());
            String dumpId = ArchiveRequests.newDumpId();
            sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(dump));
            DumpClosed closed =
                    ArchiveRequests.withUid(
                            ArchiveRequests.closed(
                                    dumpId,
                                    Files.size(dump),
                                    sidecar.url(dumpId),
                                    ArchiveRequests.TOKEN),
                            uid);
            archivedReply = new ArchiveRequests(json).postBinary(closed);
        }
        assertThat(archivedReply.statusCode()).as(archivedReply.asString()).isEqualTo(200);
        assertThat(archivedReply.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
        DumpArchived archived = json.readValue(archivedReply.asString(), DumpArchived.class);
        assertThat(archived.analysis()).as("analysis in dump.archived").isNotNull();
        assertThat(archived.analysis().truncated()).isFalse();

        Response indexedReply = forward(archivedReply);
        assertThat(indexedReply.statusCode()).as(indexedReply.asString()).isEqualTo(200);
        assertThat(indexedReply.header("ce-type")).isEqualTo(EventTypes.DUMP_INDEXED);
        Response notified = forward(indexedReply);
        assertThat(notified.statusCode()).as(notified.asString()).isEqualTo(204);

        assertThat(slack.posts()).hasSize(1);
        Map<String, Long> inSlack = classCounts(slackText(slack.posts().getFirst()));
        MimeMessage[] mails = greenMail.getReceivedMessages();
        assertThat(mails).isNotEmpty();
        Map<String, Long> inMail = classCounts(textPart(mails[0]));
        assertThat(inSlack).hasSize(HeapSummaryText.MESSAGE_CLASSES);
        assertThat(inMail).isEqualTo(inSlack);
        for (JcmdHistogram.Row row : snapshot.histogram().top(HeapSummaryText.MESSAGE_CLASSES)) {
            if (row.className().equals("java.lang.Class")) {
                continue; // dormant CDS mirrors: counted by jcmd, left out of dumps
            }
            assertThat(inSlack).as("Slack post").containsEntry(row.className(), row.instances());
        }
    }

    /** Posts a function's binary-mode reply on to the next function, as the Broker's Trigger. */
    private Response forward(Response reply) {
        RequestSpecification request = given().contentType(reply.contentType());
        for (Header h : reply.headers()) {
            if (h.getName().toLowerCase().startsWith("ce-")) {
                request = request.header(h.getName(), h.getValue());
            }
        }
        return request.body(reply.asByteArray()).post("/").andReturn();
    }

    /** The decoded text/plain part of a mail. */
    private static String textPart(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = textPart(multipart.getBodyPart(i));
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return "";
    }

    /**
     * Class name to instance count, from the class lines of a message, with Slack's escapes undone.
     */
    private static Map<String, Long> classCounts(String text) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        for (String line : plain.split("\\R")) {
            Matcher m = CLASS_LINE.matcher(line);
            if (m.matches()) {
                counts.putIfAbsent(m.group(2), Long.parseLong(m.group(1).replace(",", "")));
            }
        }
        return counts;
    }

    /** Every text of the Slack message. */
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
}
