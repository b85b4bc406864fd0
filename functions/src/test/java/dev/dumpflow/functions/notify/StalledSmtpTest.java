package dev.dumpflow.functions.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An SMTP exchange that never starts: a relay in front of GreenMail accepts the connection and
 * never greets ({@link StallingSmtp}), as when the mail client loses a greeting or a server hangs.
 * The mailer gives up after its timeout (1 s here); the e-mail is tried once more on a new
 * connection, and the Slack post does not wait for any of it.
 */
@QuarkusTest
@TestProfile(StalledSmtpTest.Profile.class)
class StalledSmtpTest {

    private static final String SENT =
            "dumpflow_notifications_total{channel=\"email\",outcome=\"sent\"}";

    /** S3Proxy for the records and once-markers, the Slack recorder, GreenMail behind the relay. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dumpflow.notify.email.to", "oncall@example.test");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(S3ProxyResource.class),
                    new TestResourceEntry(SlackRecorderResource.class),
                    new TestResourceEntry(StallingSmtpResource.class));
        }
    }

    @Inject ObjectMapper json;
    @Inject S3Client s3;
    SlackRecorder slack;
    GreenMail greenMail;
    StallingSmtp smtp;

    @BeforeEach
    void reset() throws Exception {
        slack.reset();
        smtp.reset();
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void aSendTheServerNeverGreetsIsTriedOnceMoreOnANewConnection() throws Exception {
        smtp.stallNext(1);
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response reply = post(UUID.randomUUID().toString());

        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(204);
        assertThat(smtp.connections())
                .extracting(StallingSmtp.Connection::stalled)
                .containsExactly(true, false);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(ScrapedMetrics.scrape().value(SENT) - before.value(SENT)).isEqualTo(1);
    }

    @Test
    void aStalledSmtpServerHoldsBackNeitherTheSlackPostNorTheRetryOfTheMailAlone()
            throws Exception {
        smtp.stallNext(Integer.MAX_VALUE);
        // Slack answers only once the mail's first connection is open: one after the other, in
        // either order, the post waits in vain or comes after both attempts of the mail.
        slack.holdAnswersUntil(() -> !smtp.connections().isEmpty(), Duration.ofSeconds(5));
        String eventId = UUID.randomUUID().toString();

        Response reply = post(eventId);

        assertThat(reply.statusCode()).as("the Broker is to deliver it again").isEqualTo(503);
        assertThat(smtp.connections()).hasSize(2).allMatch(StallingSmtp.Connection::stalled);
        assertThat(slack.posts()).hasSize(1);
        assertThat(slack.heldInVain()).as("the mail's connection opened during the post").isZero();
        assertThat(slack.posts().getFirst().at())
                .as("posted before the mail's second attempt began")
                .isBefore(smtp.connections().get(1).at());
        assertThat(greenMail.getReceivedMessages()).isEmpty();

        smtp.stallNext(0);
        Response again = post(eventId);

        assertThat(again.statusCode()).as(again.asString()).isEqualTo(204);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(slack.posts()).as("not posted twice").hasSize(1);
    }

    private Response post(String eventId) throws Exception {
        DumpIndexed indexed = Samples.dumpIndexed();
        RecordedDumps.indexed(s3, json, indexed);
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", eventId)
                .header("ce-type", EventTypes.DUMP_INDEXED)
                .header("ce-source", "/dumpflow/index")
                .body(json.writeValueAsBytes(indexed))
                .post("/")
                .andReturn();
    }
}
