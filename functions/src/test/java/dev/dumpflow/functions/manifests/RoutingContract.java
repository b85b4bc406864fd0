package dev.dumpflow.functions.manifests;

import dev.dumpflow.events.EventSources;
import dev.dumpflow.localstack.broker.KnativeManifests;
import dev.dumpflow.localstack.broker.TriggerMatcher;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fabric8.knative.eventing.v1.Trigger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks Triggers against what is emitted, by running each Trigger's real filter on an event of
 * each emitted type, so that every filter dialect is judged the way the broker judges it.
 */
final class RoutingContract {

    private RoutingContract() {}

    /** Emitted types that no Trigger routes, each with who emits it. */
    static List<String> unrouted(KnativeManifests manifests, Map<String, String> emitted) {
        List<String> problems = new ArrayList<>();
        emitted.forEach(
                (type, emitter) -> {
                    if (manifests.triggers().stream().noneMatch(t -> routes(t, type))) {
                        problems.add(
                                type + " (emitted by " + emitter + ") is routed by no Trigger");
                    }
                });
        return problems;
    }

    /** Triggers that route none of the emitted types. */
    static List<String> unfed(KnativeManifests manifests, Map<String, String> emitted) {
        List<String> problems = new ArrayList<>();
        for (Trigger trigger : manifests.triggers()) {
            if (emitted.keySet().stream().noneMatch(type -> routes(trigger, type))) {
                problems.add(
                        "Trigger "
                                + trigger.getMetadata().getName()
                                + " matches no emitted type; emitted: "
                                + emitted.keySet());
            }
        }
        return problems;
    }

    static boolean routes(Trigger trigger, String type) {
        return TriggerMatcher.of(trigger.getSpec()).matches(sample(type));
    }

    /** An event as its emitter would send it: the contract's source and a dumpid. */
    static CloudEvent sample(String type) {
        URI source =
                type.contains("dump.closed") || type.contains("memory.")
                        ? URI.create("/namespaces/shop/pods/cart-0/containers/app")
                        : EventSources.function("test");
        return CloudEventBuilder.v1()
                .withId("sample-" + type)
                .withSource(source)
                .withType(type)
                .withExtension("dumpid", "d-sample")
                .build();
    }
}
