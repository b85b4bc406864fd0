package dev.dumpflow.functions.enrich;

import dev.dumpflow.events.PodIdentity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Follows a pod's controller ownerReferences up to its top-level workload: Pod → ReplicaSet →
 * Deployment, Pod → StatefulSet or DaemonSet, Pod → Job → CronJob. An owner of a kind it does not
 * know (a custom controller) is taken as the workload without being fetched.
 */
final class OwnerChain {

    /** Deeper than any built-in chain; stops a cycle a broken controller could make. */
    private static final int MAX_DEPTH = 5;

    private OwnerChain() {}

    /**
     * The top-level owner of {@code pod}: its kind and name, and the object itself when it could be
     * read (for its annotations). Null when the pod has no controller.
     */
    static Owner top(KubernetesClient client, HasMetadata pod) {
        String namespace = pod.getMetadata().getNamespace();
        HasMetadata current = pod;
        Owner found = null;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            OwnerReference ref = controller(current.getMetadata().getOwnerReferences());
            if (ref == null) {
                break;
            }
            HasMetadata owner = fetch(client, namespace, ref);
            found = new Owner(new PodIdentity.Workload(ref.getKind(), ref.getName()), owner);
            if (owner == null) {
                break;
            }
            current = owner;
        }
        return found;
    }

    private static OwnerReference controller(List<OwnerReference> refs) {
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        return refs.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(refs.getFirst());
    }

    private static HasMetadata fetch(KubernetesClient client, String ns, OwnerReference ref) {
        return fetch(client, ns, ref.getKind(), ref.getName());
    }

    /**
     * The workload object of a kind this chain follows, or null when it does not exist or is of
     * another kind (a custom controller's, which is not read).
     */
    static HasMetadata fetch(KubernetesClient client, String ns, String kind, String name) {
        return switch (kind) {
            case "ReplicaSet" -> client.apps().replicaSets().inNamespace(ns).withName(name).get();
            case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(name).get();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(name).get();
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(ns).withName(name).get();
            case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(name).get();
            case "CronJob" -> client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
            default -> null;
        };
    }

    /**
     * A pod's top-level owner.
     *
     * @param workload its kind and name
     * @param object the object, or null when it could not be read
     */
    record Owner(PodIdentity.Workload workload, HasMetadata object) {}
}
