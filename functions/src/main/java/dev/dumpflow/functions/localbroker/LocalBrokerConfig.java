package dev.dumpflow.functions.localbroker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of the local broker, which stands in for Knative Eventing in {@code ./dumpflow
 * local}. It is off by default so that it never runs in a cluster.
 */
@ConfigMapping(prefix = "dumpflow.local-broker")
public interface LocalBrokerConfig {

    /** Whether the local broker runs in this process. Off by default: clusters use Knative. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The directory of Knative manifests whose Broker and Triggers the local broker honours,
     * relative to the working directory.
     */
    @WithDefault("knative")
    String manifests();

    /**
     * The base URL a subscriber {@code ref} to a Service of the manifests resolves to; the
     * subscriber's {@code uri} path is appended to it. Locally every function is in this process.
     */
    @WithDefault("http://localhost:8080")
    URI subscriberUrl();

    /**
     * How many times a chain of reply events may go back through the broker before it is dropped,
     * like Knative's {@code knativebrokerttl}: it breaks reply loops.
     */
    @WithDefault("16")
    int hopLimit();

    /**
     * How many deliveries may be pending at once. Beyond it, ingress answers 429 so that senders
     * retry later instead of the broker holding unbounded work.
     */
    @WithDefault("256")
    int maxPendingDeliveries();

    /**
     * How long one delivery attempt may take when the delivery spec sets no {@code timeout}. An
     * archive streams a whole dump within one request, so this is generous.
     */
    @WithDefault("PT15M")
    Duration deliveryTimeout();

    /**
     * A directory where the broker keeps every pending delivery until it ended, so that a broker
     * stopped or killed in the middle of its work delivers it again when it starts (as Knative's
     * Kafka broker does). Unset, pending deliveries live in memory only and a stop loses them.
     * {@code ./dumpflow local} sets it to {@code .dumpflow/broker}.
     */
    Optional<Path> journal();
}
