package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One HTTP attempt to deliver an event in binary mode, announcing with {@code Prefer: reply} that a
 * reply event is welcome, and reading the reply event of a 200 when there is one.
 */
final class EventDelivery {

    private static final Logger LOG = Logger.getLogger(EventDelivery.class);

    private final HttpClient client;

    EventDelivery(HttpClient client) {
        this.client = client;
    }

    static EventDelivery withDefaultClient() {
        return new EventDelivery(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build());
    }

    /**
     * The outcome of one attempt.
     *
     * @param status the response status, or 0 when no response came (see {@code error})
     * @param body the response body of a failure, kept for {@code knativeerrordata}
     * @param reply the reply event of a 200, if any
     * @param error why no response came, or null
     */
    record Attempt(int status, byte[] body, Optional<CloudEvent> reply, Exception error) {

        /** Whether the recipient accepted the event (any 2xx). */
        boolean accepted() {
            return error == null && status >= 200 && status < 300;
        }

        /** Whether the data-plane contract lets the sender try again. */
        boolean retryable() {
            return error != null || DeliveryPolicy.isRetryable(status);
        }

        /** What to tell a person about a failed attempt. */
        String describe() {
            return error != null ? "no response: " + error : "status " + status;
        }
    }

    /** Posts the event and waits for the answer, at most {@code timeout}. */
    Attempt post(CloudEvent event, URI target, Duration timeout) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(target).timeout(timeout).header("Prefer", "reply");
        byte[][] body = {new byte[0]};
        HttpMessageFactory.createWriter(
                        request::header, bytes -> body[0] = bytes == null ? new byte[0] : bytes)
                .writeBinary(event);
        try {
            HttpResponse<byte[]> response =
                    client.send(
                            request.POST(HttpRequest.BodyPublishers.ofByteArray(body[0])).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            Optional<CloudEvent> reply = Optional.empty();
            if (response.statusCode() == 200) {
                try {
                    reply = replyOf(response);
                } catch (IllegalArgumentException e) {
                    // The subscriber did its work; retrying would redo it. Say so and move on.
                    LOG.errorf(
                            "%s answered event id=%s dumpid=%s with an invalid reply, dropped: %s",
                            target, event.getId(), EventAttributes.dumpId(event), e.getMessage());
                }
            }
            return new Attempt(
                    response.statusCode(),
                    response.statusCode() >= 300 ? response.body() : new byte[0],
                    reply,
                    null);
        } catch (IOException e) {
            return new Attempt(0, new byte[0], Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(0, new byte[0], Optional.empty(), e);
        }
    }

    /**
     * The reply event of a 200, in binary or structured mode; empty when the body carries none.
     *
     * @throws IllegalArgumentException when the response claims to be an event but is not valid
     */
    static Optional<CloudEvent> replyOf(HttpResponse<byte[]> response) {
        Map<String, List<String>> headers = lowerCase(response.headers().map());
        String contentType = headers.getOrDefault("content-type", List.of("")).getFirst();
        boolean binary = headers.containsKey("ce-specversion");
        boolean structured =
                contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
        if (!binary && !structured) {
            return Optional.empty();
        }
        return Optional.of(CloudEventCodec.read(headers, response.body()));
    }

    static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }
}
