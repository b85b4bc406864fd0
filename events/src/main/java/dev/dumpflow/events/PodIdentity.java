package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Which pod and container an event is about, as the Downward API tells the sidecar. Every name is
 * checked as Kubernetes checks it (the namespace and container are DNS-1123 labels, the pod, node
 * and workload DNS-1123 subdomains, labels qualified names with values of at most 63 characters),
 * so a name no cluster can hold is refused before it reaches an API call, a key or a message.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID, if known
 * @param node the node the pod runs on, if known
 * @param container the container the dump or process belongs to
 * @param workload the owning workload, when known
 * @param labels the pod's labels; never null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodIdentity(
        String namespace,
        String name,
        String uid,
        String node,
        String container,
        Workload workload,
        Map<String, String> labels) {

    public PodIdentity {
        Checks.dnsLabel(namespace, "pod.namespace");
        Checks.dnsSubdomain(name, "pod.name");
        Checks.uidOrNull(uid, "pod.uid");
        Checks.dnsSubdomainOrNull(node, "pod.node");
        Checks.dnsLabel(container, "pod.container");
        labels = Checks.labels(labels, "pod.labels");
    }

    /** A copy with the owning workload set, once somebody has found it. */
    public PodIdentity withWorkload(Workload owner) {
        return new PodIdentity(namespace, name, uid, node, container, owner, labels);
    }

    /**
     * The top-level owner of a pod, for example a Deployment, found by following ownerReferences.
     *
     * @param kind the owner's kind, for example {@code Deployment}
     * @param name the owner's name
     */
    public record Workload(String kind, String name) {
        public Workload {
            Checks.kind(kind, "workload.kind");
            Checks.dnsSubdomain(name, "workload.name");
        }
    }
}
