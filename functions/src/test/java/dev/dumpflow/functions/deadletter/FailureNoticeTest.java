package dev.dumpflow.functions.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.FunctionFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class FailureNoticeTest {

    private static final String TOKEN = "c2VjcmV0LXRva2VuLWZvci10aGlzLWR1bXAtb25seQ";
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void aDeadLetteredClosedDumpFailedAtArchiveAndSitsOnTheSidecarWithoutItsToken()
            throws Exception {
        DumpClosed closed = closedWithTokenInItsUrl();
        CloudEvent letter =
                letter(
                        EventTypes.DUMP_CLOSED,
                        JSON.writeValueAsBytes(closed),
                        503,
                        "{\"error\":\"UNAVAILABLE\",\"message\":\"dump %s: archive failed, the dump"
                                        .formatted(closed.dumpId())
                                + " stays on the sidecar: S3 answered 503\"}");

        DumpFailed failed = FailureNotice.of(letter, "archive", JSON);

        assertThat(failed.dumpId()).isEqualTo(closed.dumpId());
        assertThat(failed.stage()).isEqualTo("archive");
        assertThat(failed.failedType()).isEqualTo(EventTypes.DUMP_CLOSED);
        assertThat(failed.reason())
                .contains("archive step gave up", "HTTP 503", "S3 answered 503")
                .doesNotContain("{\"error\"");
        assertThat(failed.location())
                .isEqualTo(URI.create("http://10.1.2.3:8787/dumps/" + closed.dumpId()));
        assertThat(failed.pod()).isEqualTo(closed.pod());
        assertThat(JSON.writeValueAsString(failed)).doesNotContain(TOKEN);
    }

    @Test
    void credentialsQuotedInTheFailedResponseNeverReachTheReason() {
        String body =
                "GET http://user:pw@10.1.2.3:8787/dumps/d?token=%s failed; Authorization: Bearer %s;"
                                .formatted(TOKEN, TOKEN)
                        + " webhook https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX;"
                        + " password=hunter2 X-Amz-Signature=abcdef0123456789";
        CloudEvent letter = letter(EventTypes.DUMP_CLOSED, sampleClosed(), 500, body);

        String reason = FailureNotice.of(letter, "archive", JSON).reason();

        assertThat(reason)
                .doesNotContain(TOKEN, "user:pw", "hunter2", "T000/B000", "abcdef0123456789")
                .contains("http://10.1.2.3:8787/dumps/d", "[redacted]");
    }

    @Test
    void aLongErrorBodyGivesABoundedReason() {
        CloudEvent letter =
                letter(EventTypes.DUMP_CLOSED, sampleClosed(), 502, "bad gateway ".repeat(500));

        assertThat(FailureNotice.of(letter, "archive", JSON).reason())
                .hasSizeLessThanOrEqualTo(FailureReason.MAX_LENGTH)
                .endsWith("…");
    }

    @Test
    void aDumpArchivedButNotIndexedSitsInTheBucket() throws Exception {
        CloudEvent letter =
                letter(
                        EventTypes.DUMP_ARCHIVED,
                        JSON.writeValueAsBytes(Samples.dumpArchived()),
                        503,
                        null);

        DumpFailed failed = FailureNotice.of(letter, "index", JSON);

        assertThat(failed.stage()).isEqualTo("index");
        assertThat(failed.reason())
                .isEqualTo(
                        "the index step gave up after retries; its last" + " answer was HTTP 503");
        assertThat(failed.location().toString())
                .isEqualTo(
                        "s3://"
                                + Samples.dumpArchived().bucket()
                                + "/"
                                + Samples.dumpArchived().key());
    }

    @Test
    void eachDumpEventMapsToTheStepThatConsumesIt() {
        assertThat(FailureNotice.stageOf(EventTypes.DUMP_CLOSED)).hasValue("archive");
        assertThat(FailureNotice.stageOf(EventTypes.DUMP_ARCHIVED)).hasValue("index");
        assertThat(FailureNotice.stageOf(EventTypes.DUMP_INDEXED)).hasValue("notify");
        assertThat(FailureNotice.stageOf(EventTypes.DUMP_FAILED)).isEmpty();
        assertThat(FailureNotice.stageOf(EventTypes.MEMORY_THRESHOLD_CROSSED)).isEmpty();
    }

    @Test
    void aDeadLetterWithoutAValidDumpIdIsABadEvent() {
        CloudEvent letter =
                letter(EventTypes.DUMP_CLOSED, "{\"dumpId\":\"../../etc\"}".getBytes(), 400, null);

        assertThatThrownBy(() -> FailureNotice.of(letter, "archive", JSON))
                .isInstanceOfSatisfying(
                        FunctionFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(FunctionFailure.Kind.BAD_EVENT));
    }

    @Test
    void theFailedEventHasADeterministicIdSoRepeatsDeduplicate() throws Exception {
        FailedEventSender sender = new FailedEventSender(JSON, Path.of("/no-such-token"));
        DumpFailed failed =
                FailureNotice.of(
                        letter(EventTypes.DUMP_CLOSED, sampleClosed(), 503, null), "archive", JSON);

        CloudEvent event = sender.event(failed);

        assertThat(event.getId()).isEqualTo(failed.dumpId() + ".failed.archive");
        assertThat(sender.event(failed).getId()).isEqualTo(event.getId());
        assertThat(event.getType()).isEqualTo(EventTypes.DUMP_FAILED);
        assertThat(event.getSource()).isEqualTo(URI.create("/dumpflow/dead-letter"));
        assertThat(event.getExtension(EventTypes.DUMPID_EXTENSION)).isEqualTo(failed.dumpId());
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8))
                .doesNotContain(TOKEN);
    }

    private static DumpClosed closedWithTokenInItsUrl() {
        DumpClosed s = Samples.dumpClosed();
        return new DumpClosed(
                s.dumpId(),
                s.fileName(),
                s.sizeBytes(),
                s.closedAt(),
                s.format(),
                s.cause(),
                s.pid(),
                new FetchLocation(
                        URI.create(s.fetch().url() + "?token=" + TOKEN),
                        TOKEN,
                        s.fetch().expiresAt()),
                s.pod());
    }

    private static byte[] sampleClosed() {
        try {
            return JSON.writeValueAsBytes(Samples.dumpClosed());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dead letter as Knative hands it over: the event plus its error extensions. */
    private static CloudEvent letter(String type, byte[] data, int code, String errorBody) {
        CloudEventBuilder builder =
                CloudEventBuilder.v1()
                        .withId("e-1")
                        .withType(type)
                        .withSource(URI.create("/namespaces/shop/pods/p/containers/app"))
                        .withData("application/json", data)
                        .withExtension("knativeerrorcode", code)
                        .withExtension("knativeerrordest", "http://functions/");
        if (errorBody != null) {
            builder.withExtension(
                    "knativeerrordata",
                    Base64.getEncoder().encodeToString(errorBody.getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }
}
