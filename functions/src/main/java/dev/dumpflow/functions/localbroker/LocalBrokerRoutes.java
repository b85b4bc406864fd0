package dev.dumpflow.functions.localbroker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Starts the local broker inside the functions' application when {@code
 * dumpflow.local-broker.enabled} is true, and stops it with the application. In a cluster it stays
 * off and Knative Eventing does the routing.
 */
@ApplicationScoped
public class LocalBrokerRoutes {

    private static final Logger LOG = Logger.getLogger(LocalBrokerRoutes.class);

    private volatile LocalBroker broker;
    private volatile URI ingress;

    /** Deliveries a stop left in the journal, until the HTTP server listens and they resume. */
    private final AtomicReference<List<DeliveryJournal.Entry>> leftBeforeStop =
            new AtomicReference<>();

    void install(@Observes Router router, LocalBrokerConfig config) {
        if (!config.enabled()) {
            return;
        }
        Path manifests = Path.of(config.manifests());
        BrokerTopology topology =
                BrokerTopology.from(
                        KnativeManifests.load(manifests),
                        config.subscriberUrl(),
                        config.deliveryTimeout());
        DeliveryJournal journal;
        try {
            journal =
                    config.journal().isPresent()
                            ? DeliveryJournal.open(config.journal().get())
                            : DeliveryJournal.none();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "dumpflow.local-broker.journal: cannot use " + config.journal().get(), e);
        }
        broker =
                new LocalBroker(
                        topology, config.hopLimit(), config.maxPendingDeliveries(), journal);
        try {
            leftBeforeStop.set(broker.leftBeforeStop());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local broker's journal " + journal, e);
        }
        BrokerIngress.install(router, broker);
        if (topology.brokers().size() == 1) {
            var only = topology.brokers().getFirst();
            ingress =
                    URI.create(
                            config.subscriberUrl().toString().replaceAll("/+$", "")
                                    + "/brokers/"
                                    + only.namespace()
                                    + "/"
                                    + only.name());
        }
        topology.brokers()
                .forEach(
                        b ->
                                LOG.infof(
                                        "local broker %s/%s at /brokers/%s/%s routes %d Triggers"
                                                + " from %s to %s; pending deliveries kept in %s",
                                        b.namespace(),
                                        b.name(),
                                        b.namespace(),
                                        b.name(),
                                        b.subscriptions().size(),
                                        manifests.toAbsolutePath().normalize(),
                                        config.subscriberUrl(),
                                        journal.durable() ? journal : "memory only"));
    }

    /**
     * Resumes what a stop left in the journal once this process listens: the functions the
     * deliveries go to are usually in it, and a delivery sent before would only be refused and
     * spend a retry. Quarkus fires the event asynchronously, once per listening verticle.
     */
    void resume(@ObservesAsync HttpServerStart started) {
        List<DeliveryJournal.Entry> left = leftBeforeStop.getAndSet(null);
        if (left != null) {
            broker.resume(left);
        }
    }

    /**
     * The address of the local broker, when it runs and the manifests define exactly one Broker:
     * what {@code K_SINK} would be in a cluster, for the dead-letter handler.
     */
    public Optional<URI> ingress() {
        return Optional.ofNullable(ingress);
    }

    void stop(@Observes ShutdownEvent event) {
        LocalBroker running = broker;
        if (running != null) {
            running.close();
        }
    }
}
