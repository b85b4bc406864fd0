package dev.dumpflow.functions.notify;

import dev.dumpflow.events.PodIdentity;
import java.util.ArrayList;
import java.util.List;

/** Collects a message's facts in order, leaving out those whose value is unknown. */
final class Facts {

    private final List<Notification.Fact> facts = new ArrayList<>();

    Facts add(String label, Object value) {
        if (value != null && !value.toString().isBlank()) {
            facts.add(new Notification.Fact(label, value.toString()));
        }
        return this;
    }

    /** Workload, pod, node and container, the facts every message starts with. */
    Facts pod(PodIdentity pod, PodIdentity.Workload workload) {
        if (pod == null) {
            return this;
        }
        return add(
                        "Workload",
                        workload == null
                                ? null
                                : "%s %s/%s"
                                        .formatted(
                                                workload.kind(), pod.namespace(), workload.name()))
                .add("Pod", pod.namespace() + "/" + pod.name())
                .add("Node", pod.node())
                .add("Container", pod.container());
    }

    List<Notification.Fact> list() {
        return List.copyOf(facts);
    }

    /** Where a pod's messages come from in a title: its workload, else the pod. */
    static String origin(PodIdentity pod, PodIdentity.Workload workload) {
        return pod.namespace() + "/" + (workload == null ? pod.name() : workload.name());
    }
}
