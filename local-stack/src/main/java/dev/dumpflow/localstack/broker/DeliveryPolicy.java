package dev.dumpflow.localstack.broker;

import io.fabric8.knative.duck.v1.DeliverySpec;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the broker delivers to one subscriber, read from a Knative {@code delivery} spec: how many
 * retries after the first attempt, the backoff between them, the timeout of one attempt, and the
 * dead-letter sink that gets the event when every attempt failed.
 *
 * @param retry retries after the first attempt, 0 or more
 * @param backoff linear ({@code delay x n}) or exponential ({@code delay x 2^n}) for retry n
 * @param backoffDelay the base delay of the backoff
 * @param timeout how long one attempt may take
 * @param deadLetterSink where the event goes when every attempt failed, if anywhere
 */
public record DeliveryPolicy(
        int retry,
        Backoff backoff,
        Duration backoffDelay,
        Duration timeout,
        Optional<URI> deadLetterSink) {

    /** The two backoff policies of the Knative delivery spec. */
    public enum Backoff {
        /** Retry n waits {@code backoffDelay x n}. */
        LINEAR,
        /** Retry n waits {@code backoffDelay x 2^n}. */
        EXPONENTIAL
    }

    /** Validates the fields. */
    public DeliveryPolicy {
        if (retry < 0) {
            throw new IllegalArgumentException("delivery retry must be 0 or more, was " + retry);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(backoffDelay, "backoffDelay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        if (backoffDelay.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("delivery delays must be positive");
        }
    }

    /**
     * Reads a Knative delivery spec. Knative's defaults apply to what it leaves out: no retry,
     * exponential backoff; the dead-letter sink is resolved by the caller.
     *
     * @throws IllegalArgumentException naming the field that is not valid
     */
    public static DeliveryPolicy from(
            DeliverySpec spec, Optional<URI> deadLetterSink, Duration defaultTimeout) {
        if (spec == null) {
            return new DeliveryPolicy(
                    0, Backoff.EXPONENTIAL, Duration.ZERO, defaultTimeout, deadLetterSink);
        }
        int retry = spec.getRetry() == null ? 0 : spec.getRetry();
        Backoff backoff =
                switch (Objects.requireNonNullElse(spec.getBackoffPolicy(), "exponential")
                        .toLowerCase(Locale.ROOT)) {
                    case "exponential" -> Backoff.EXPONENTIAL;
                    case "linear" -> Backoff.LINEAR;
                    default ->
                            throw new IllegalArgumentException(
                                    "delivery backoffPolicy must be linear or exponential, was "
                                            + spec.getBackoffPolicy());
                };
        Duration delay = duration("backoffDelay", spec.getBackoffDelay(), Duration.ZERO);
        Duration timeout = duration("timeout", spec.getTimeout(), defaultTimeout);
        return new DeliveryPolicy(retry, backoff, delay, timeout, deadLetterSink);
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public Duration delayBeforeRetry(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retries count from 1, was " + n);
        }
        return switch (backoff) {
            case LINEAR -> backoffDelay.multipliedBy(n);
            case EXPONENTIAL -> backoffDelay.multipliedBy(1L << Math.min(n, 30));
        };
    }

    /**
     * Whether the data-plane contract lets a sender retry a response status: 404, 408, 409, 429 and
     * 5xx. Other 4xx can never succeed. Connection errors are retried by the caller.
     */
    public static boolean isRetryable(int status) {
        return status == 404 || status == 408 || status == 409 || status == 429 || status >= 500;
    }

    private static Duration duration(String field, String iso8601, Duration fallback) {
        if (iso8601 == null || iso8601.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(iso8601);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "delivery "
                            + field
                            + " must be an ISO-8601 duration such as PT0.5S or PT2S, was "
                            + iso8601,
                    e);
        }
    }
}
