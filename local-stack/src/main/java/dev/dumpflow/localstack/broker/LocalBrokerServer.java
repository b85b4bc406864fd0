package dev.dumpflow.localstack.broker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The local broker listening on HTTP: its ingress on a {@code jdk.httpserver}, one virtual thread
 * per request, over the Brokers and Triggers of the configured manifests. What a stop left in the
 * journal is delivered again once it listens.
 */
public final class LocalBrokerServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalBrokerServer.class);

    private final LocalBroker broker;
    private final HttpServer server;
    private final ExecutorService requests;

    private LocalBrokerServer(LocalBroker broker, HttpServer server, ExecutorService requests) {
        this.broker = broker;
        this.server = server;
        this.requests = requests;
    }

    /**
     * Starts a broker as configured and listens.
     *
     * @throws UncheckedIOException when the journal cannot be used or the port cannot be bound
     */
    public static LocalBrokerServer start(LocalBrokerConfig config) {
        BrokerTopology topology =
                BrokerTopology.from(
                        KnativeManifests.load(config.manifests()),
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
                    "DUMPFLOW_BROKER_JOURNAL: cannot use " + config.journal().get(), e);
        }
        LocalBroker broker =
                new LocalBroker(
                        topology, config.hopLimit(), config.maxPendingDeliveries(), journal);
        List<DeliveryJournal.Entry> left;
        HttpServer server;
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        try {
            left = broker.leftBeforeStop();
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        } catch (IOException e) {
            broker.close();
            requests.close();
            throw new UncheckedIOException(
                    "local broker: cannot listen on " + config.host() + ":" + config.port(), e);
        }
        BrokerIngress.install(server, broker, config.maxEventBytes());
        server.setExecutor(requests);
        server.start();
        LocalBrokerServer started = new LocalBrokerServer(broker, server, requests);
        topology.brokers()
                .forEach(
                        b ->
                                LOG.infof(
                                        "local broker %s/%s at %s routes %d Triggers from %s to"
                                                + " %s; pending deliveries kept in %s",
                                        b.namespace(),
                                        b.name(),
                                        started.ingress(b.namespace(), b.name()),
                                        b.subscriptions().size(),
                                        config.manifests().toAbsolutePath().normalize(),
                                        config.subscriberUrl(),
                                        journal.durable() ? journal : "memory only"));
        broker.resume(left);
        return started;
    }

    /** The address events for a Broker of the manifests are posted to: its {@code K_SINK}. */
    public URI ingress(String namespace, String name) {
        InetSocketAddress address = server.getAddress();
        return URI.create(
                "http://"
                        + address.getHostString()
                        + ":"
                        + address.getPort()
                        + BrokerIngress.PATH
                        + namespace
                        + "/"
                        + name);
    }

    /** The broker behind the ingress. */
    public LocalBroker broker() {
        return broker;
    }

    /** Stops taking events, then stops the broker; a durable broker keeps what was pending. */
    @Override
    public void close() {
        server.stop(0);
        broker.close();
        requests.close();
    }
}
