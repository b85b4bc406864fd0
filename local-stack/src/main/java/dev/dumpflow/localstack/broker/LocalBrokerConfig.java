package dev.dumpflow.localstack.broker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the local broker process, which stands in for Knative Eventing in {@code
 * ./dumpflow local}, parsed once from the environment by {@link #fromEnv(Map)}.
 *
 * @param manifests the directory of Knative manifests whose Broker and Triggers it honours ({@code
 *     DUMPFLOW_BROKER_MANIFESTS}, default {@code knative})
 * @param subscriberUrl the base URL a subscriber {@code ref} to a Service of the manifests resolves
 *     to; the subscriber's {@code uri} path is appended to it ({@code
 *     DUMPFLOW_BROKER_SUBSCRIBER_URL}, default {@code http://127.0.0.1:8080}, the functions)
 * @param host the address the ingress listens on ({@code DUMPFLOW_BROKER_HOST}, default {@code
 *     127.0.0.1})
 * @param port the port the ingress listens on, 0 for any free one ({@code DUMPFLOW_BROKER_PORT},
 *     default {@code 8090})
 * @param hopLimit how many times a chain of reply events may go back through the broker before it
 *     is dropped, like Knative's {@code knativebrokerttl} ({@code DUMPFLOW_BROKER_HOP_LIMIT},
 *     default 16)
 * @param maxPendingDeliveries how many deliveries may wait or run at once; beyond it ingress
 *     answers 429 ({@code DUMPFLOW_BROKER_MAX_PENDING_DELIVERIES}, default 256)
 * @param deliveryTimeout how long one delivery attempt may take when the delivery spec sets no
 *     {@code timeout}; an archive streams a whole dump within one request, so this is generous
 *     ({@code DUMPFLOW_BROKER_DELIVERY_TIMEOUT}, ISO-8601, default {@code PT15M})
 * @param journal a directory where every pending delivery is kept until it ended, so that a broker
 *     stopped or killed delivers it again when it starts (as Knative's Kafka broker does); empty,
 *     pending deliveries live in memory only ({@code DUMPFLOW_BROKER_JOURNAL}, unset by default)
 * @param maxEventBytes the largest event body the ingress takes; larger ones are answered 413. It
 *     is the functions' own limit, {@code dumpflow.events.max-bytes}, read from the variable that
 *     sets it for them too ({@code DUMPFLOW_EVENTS_MAX_BYTES}, default 8 MiB), so that an event the
 *     broker accepts is one the functions take
 */
public record LocalBrokerConfig(
        Path manifests,
        URI subscriberUrl,
        String host,
        int port,
        int hopLimit,
        int maxPendingDeliveries,
        Duration deliveryTimeout,
        Optional<Path> journal,
        int maxEventBytes) {

    /** The functions' default of {@code dumpflow.events.max-bytes}: 8 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 8 << 20;

    public LocalBrokerConfig {
        Objects.requireNonNull(manifests, "manifests");
        Objects.requireNonNull(subscriberUrl, "subscriberUrl");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(journal, "journal");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (maxEventBytes < 1 || maxEventBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be 1 to "
                            + (Integer.MAX_VALUE - 1)
                            + ", was "
                            + maxEventBytes);
        }
    }

    /**
     * The configuration the environment gives.
     *
     * @throws IllegalArgumentException naming the variable and the accepted form when a value is
     *     malformed
     */
    public static LocalBrokerConfig fromEnv(Map<String, String> env) {
        return new LocalBrokerConfig(
                Path.of(env.getOrDefault("DUMPFLOW_BROKER_MANIFESTS", "knative")),
                uri(env, "DUMPFLOW_BROKER_SUBSCRIBER_URL", "http://127.0.0.1:8080"),
                env.getOrDefault("DUMPFLOW_BROKER_HOST", "127.0.0.1"),
                integer(env, "DUMPFLOW_BROKER_PORT", 8090, 0),
                integer(env, "DUMPFLOW_BROKER_HOP_LIMIT", 16, 1),
                integer(env, "DUMPFLOW_BROKER_MAX_PENDING_DELIVERIES", 256, 1),
                duration(env, "DUMPFLOW_BROKER_DELIVERY_TIMEOUT", Duration.ofMinutes(15)),
                Optional.ofNullable(env.get("DUMPFLOW_BROKER_JOURNAL"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of),
                integer(env, "DUMPFLOW_EVENTS_MAX_BYTES", DEFAULT_MAX_EVENT_BYTES, 1));
    }

    private static URI uri(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback).strip();
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    name + "=" + value + " is not an absolute URL such as http://127.0.0.1:8080",
                    e);
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + "=" + value + " is not a whole number of " + min + " or more");
        }
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.strip());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException(name + "=" + value + " must be positive");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + "=" + value + " is not an ISO-8601 duration such as PT15M");
        }
    }
}
