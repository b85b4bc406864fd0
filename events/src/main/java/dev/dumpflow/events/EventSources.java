package dev.dumpflow.events;

import java.net.URI;

/**
 * Builds the CloudEvent {@code source} of sidecar and function events, as the contract fixes it.
 */
public final class EventSources {

    private EventSources() {}

    /** {@code /namespaces/{ns}/pods/{pod}/containers/{container}}, the source of sidecar events. */
    public static URI sidecar(PodIdentity pod) {
        return URI.create(
                "/namespaces/%s/pods/%s/containers/%s"
                        .formatted(pod.namespace(), pod.name(), pod.container()));
    }

    /** {@code /dumpflow/{function}}, the source of function events. */
    public static URI function(String name) {
        Checks.nonBlank(name, "function");
        return URI.create("/dumpflow/" + name);
    }
}
