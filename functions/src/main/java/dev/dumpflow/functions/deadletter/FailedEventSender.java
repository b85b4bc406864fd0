package dev.dumpflow.functions.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventSources;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.FunctionFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Sends {@code dev.dumpflow.dump.failed} to the Broker ({@code K_SINK}), in binary mode. A Broker
 * routes no reply of its dead-letter sink, so the handler sends the event itself. The id is {@code
 * {dumpId}.failed.{stage}}: a repeated dead letter of the same dump and step is the same event,
 * which receivers deduplicate on source and id.
 *
 * <p>A direct POST to the Broker carries no identity of a Trigger, so with Knative's OIDC sender
 * identity on it presents the functions' own token (their SinkBinding's, see {@link
 * DeadLetterConfig#sinkTokenFile()}), read afresh for every send because Knative renews it. No
 * file, no token. A file that exists but gives no token fails the send like an unreachable Broker,
 * so the dead letter is delivered again. Messages name the file, never the token.
 */
final class FailedEventSender {

    /** The source of every {@code dump.failed}. */
    static final URI SOURCE = EventSources.function("dead-letter");

    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
    private final ObjectMapper json;
    private final Path tokenFile;

    FailedEventSender(ObjectMapper json, Path tokenFile) {
        this.json = json;
        this.tokenFile = tokenFile;
    }

    /** The event for a failure notice. */
    CloudEvent event(DumpFailed failed) {
        byte[] data;
        try {
            data = json.writeValueAsBytes(failed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dump.failed did not serialise", e);
        }
        return CloudEventBuilder.v1()
                .withId(failed.dumpId() + ".failed." + failed.stage())
                .withType(EventTypes.DUMP_FAILED)
                .withSource(SOURCE)
                .withSubject(failed.dumpId())
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataSchema(EventTypes.dataSchema(EventTypes.DUMP_FAILED))
                .withExtension(EventTypes.DUMPID_EXTENSION, failed.dumpId())
                .withData("application/json", data)
                .build();
    }

    /**
     * Posts the event to the sink.
     *
     * @throws FunctionFailure unavailable when the sink does not accept it, or the token file
     *     exists but gives no token, so that the dead letter is delivered again
     */
    void send(CloudEvent event, URI sink) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10));
        String token = token(event);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        byte[][] body = {new byte[0]};
        HttpMessageFactory.createWriter(
                        request::header, bytes -> body[0] = bytes == null ? new byte[0] : bytes)
                .writeBinary(event);
        int status;
        try {
            status =
                    client.send(
                                    request.POST(HttpRequest.BodyPublishers.ofByteArray(body[0]))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
        } catch (IOException e) {
            throw FunctionFailure.unavailable(
                    "the broker at K_SINK did not answer for " + event.getId() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FunctionFailure.unavailable("interrupted while sending " + event.getId(), e);
        }
        if (status < 200 || status >= 300) {
            throw FunctionFailure.unavailable(
                    "the broker at K_SINK answered %d to %s".formatted(status, event.getId()),
                    null);
        }
    }

    /** The token in the file, or null when there is no file. */
    private String token(CloudEvent event) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tokenFile);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw noToken(event, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
        String token = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw noToken(event, "is empty", null);
        }
        // A JWT is visible ASCII; anything else must not reach a header (nor be quoted).
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw noToken(event, "holds characters no HTTP header may carry", null);
        }
        return token;
    }

    private FunctionFailure noToken(CloudEvent event, String problem, Throwable cause) {
        return FunctionFailure.unavailable(
                "the OIDC token file %s %s; %s is not sent to the broker at K_SINK"
                        .formatted(tokenFile, problem, event.getId()),
                cause);
    }
}
