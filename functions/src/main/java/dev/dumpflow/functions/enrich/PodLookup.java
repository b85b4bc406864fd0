package dev.dumpflow.functions.enrich;

import dev.dumpflow.events.PodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Reads a pod and its top-level workload through {@link ClusterAccess}. */
@ApplicationScoped
public class PodLookup {

    private final ClusterAccess cluster;

    PodLookup(ClusterAccess cluster) {
        this.cluster = cluster;
    }

    /**
     * The pod and its workload; empty outside a cluster, without RBAC, or when the pod is gone.
     *
     * @param context what the lookup is for (a dumpId, or a pod for threshold events), for logs
     */
    public Optional<PodView> find(String context, PodIdentity pod) {
        return cluster.read(
                context,
                client -> {
                    Pod found =
                            client.pods().inNamespace(pod.namespace()).withName(pod.name()).get();
                    if (found == null) {
                        return null;
                    }
                    OwnerChain.Owner owner = OwnerChain.top(client, found);
                    return owner == null
                            ? new PodView(found, null, null)
                            : new PodView(found, owner.workload(), owner.object());
                });
    }
}
