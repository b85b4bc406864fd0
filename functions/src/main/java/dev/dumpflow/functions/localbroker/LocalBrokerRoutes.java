package dev.dumpflow.functions.localbroker;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
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
            broker.resume();
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
