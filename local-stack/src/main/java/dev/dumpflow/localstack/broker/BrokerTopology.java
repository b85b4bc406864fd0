package dev.dumpflow.localstack.broker;

import io.cloudevents.CloudEvent;
import io.fabric8.knative.duck.v1.DeliverySpec;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Brokers of a set of manifests, each with its Triggers resolved into subscriptions: a filter,
 * a subscriber URL and a delivery policy (the Trigger's own, or else its Broker's). Built once and
 * fully checked, so that a typo in a manifest stops the local stack at start-up.
 */
public final class BrokerTopology {

    /**
     * One Trigger, ready to route.
     *
     * @param trigger the Trigger's name, for logs
     * @param matcher its filter
     * @param subscriber where matching events are posted
     * @param delivery how they are retried and dead-lettered
     */
    public record Subscription(
            String trigger, TriggerMatcher matcher, URI subscriber, DeliveryPolicy delivery) {

        /** Whether the event passes this Trigger's filter. */
        public boolean matches(CloudEvent event) {
            return matcher.matches(event);
        }
    }

    /**
     * A Broker and the subscriptions of its Triggers.
     *
     * @param namespace the Broker's namespace
     * @param name the Broker's name
     * @param subscriptions its Triggers, in manifest order
     */
    public record BrokerRoutes(String namespace, String name, List<Subscription> subscriptions) {

        /** The subscriptions whose filter the event passes. */
        public List<Subscription> matching(CloudEvent event) {
            return subscriptions.stream().filter(s -> s.matches(event)).toList();
        }

        /** {@code namespace/name}. */
        public String id() {
            return namespace + "/" + name;
        }

        /** The subscription of the Trigger with this name. */
        public Optional<Subscription> subscription(String trigger) {
            return subscriptions.stream().filter(s -> s.trigger().equals(trigger)).findFirst();
        }
    }

    private final Map<String, BrokerRoutes> brokers;

    private BrokerTopology(Map<String, BrokerRoutes> brokers) {
        this.brokers = Map.copyOf(brokers);
    }

    /**
     * Resolves every Broker and Trigger of the manifests.
     *
     * @param serviceBaseUrl where a subscriber ref to a Service of the manifests points
     * @param defaultTimeout the attempt timeout when a delivery spec sets none
     * @throws IllegalArgumentException naming the Trigger or Broker that cannot be honoured
     */
    public static BrokerTopology from(
            KnativeManifests manifests, URI serviceBaseUrl, Duration defaultTimeout) {
        SubscriberResolver resolver = new SubscriberResolver(manifests, serviceBaseUrl);
        Map<String, Broker> byKey = new LinkedHashMap<>();
        for (Broker broker : manifests.brokers()) {
            byKey.put(
                    key(KnativeManifests.namespaceOf(broker), broker.getMetadata().getName()),
                    broker);
        }
        Map<String, List<Subscription>> subscriptions = new LinkedHashMap<>();
        byKey.keySet().forEach(k -> subscriptions.put(k, new ArrayList<>()));
        for (Trigger trigger : manifests.triggers()) {
            String namespace = KnativeManifests.namespaceOf(trigger);
            String owner = "Trigger " + namespace + "/" + trigger.getMetadata().getName();
            String brokerKey = key(namespace, trigger.getSpec().getBroker());
            Broker broker = byKey.get(brokerKey);
            if (broker == null) {
                throw new IllegalArgumentException(
                        owner + ": its broker " + brokerKey + " is not defined in the manifests");
            }
            DeliverySpec spec =
                    trigger.getSpec().getDelivery() != null
                            ? trigger.getSpec().getDelivery()
                            : broker.getSpec() == null ? null : broker.getSpec().getDelivery();
            subscriptions
                    .get(brokerKey)
                    .add(
                            new Subscription(
                                    trigger.getMetadata().getName(),
                                    matcher(trigger, owner),
                                    resolver.resolve(
                                            trigger.getSpec().getSubscriber(), namespace, owner),
                                    policy(spec, resolver, namespace, owner, defaultTimeout)));
        }
        Map<String, BrokerRoutes> routes = new LinkedHashMap<>();
        subscriptions.forEach(
                (k, subs) -> {
                    Broker b = byKey.get(k);
                    routes.put(
                            k,
                            new BrokerRoutes(
                                    KnativeManifests.namespaceOf(b),
                                    b.getMetadata().getName(),
                                    List.copyOf(subs)));
                });
        return new BrokerTopology(routes);
    }

    /** The Broker with this namespace and name, if the manifests define it. */
    public Optional<BrokerRoutes> broker(String namespace, String name) {
        return Optional.ofNullable(brokers.get(key(namespace, name)));
    }

    /** The Broker with this {@link BrokerRoutes#id()}, if the manifests define it. */
    public Optional<BrokerRoutes> broker(String id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** Every Broker. */
    public List<BrokerRoutes> brokers() {
        return List.copyOf(brokers.values());
    }

    private static DeliveryPolicy policy(
            DeliverySpec spec,
            SubscriberResolver resolver,
            String namespace,
            String owner,
            Duration defaultTimeout) {
        Optional<URI> deadLetter =
                spec == null || spec.getDeadLetterSink() == null
                        ? Optional.empty()
                        : Optional.of(
                                resolver.resolve(
                                        spec.getDeadLetterSink(),
                                        namespace,
                                        owner + " (dead-letter sink)"));
        try {
            return DeliveryPolicy.from(spec, deadLetter, defaultTimeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + ": " + e.getMessage(), e);
        }
    }

    private static TriggerMatcher matcher(Trigger trigger, String owner) {
        try {
            return TriggerMatcher.of(trigger.getSpec());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + ": " + e.getMessage(), e);
        }
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
