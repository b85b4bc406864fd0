package dev.dumpflow.functions.enrich;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FunctionFailure;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reads a pod to check what an event claims about it. Unlike {@link ClusterAccess}, which makes
 * enrichment a nicety, this fails closed: an API server that cannot be reached or refuses us is
 * {@link FunctionFailure#unavailable}, so the Broker retries later and nothing is done on an
 * unproved claim meanwhile.
 *
 * <p>With {@code dumpflow.kubernetes.enabled=false} (the local stack, which has no API server)
 * nothing can be checked: {@link #enabled()} is false, and start-up says so once as a WARNING.
 */
@ApplicationScoped
public class PodVerification {

    private static final Logger LOG = Logger.getLogger(PodVerification.class);

    private final KubernetesClient client;
    private final KubernetesConfig config;

    PodVerification(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
    }

    void warnWhenOff(@Observes StartupEvent started) {
        if (!config.enabled()) {
            LOG.warn(
                    "dumpflow.kubernetes.enabled=false: event claims are NOT verified against the"
                            + " Kubernetes API (the pod, its UID and address in dump.closed, the pod of"
                            + " threshold warnings). Only for a machine without a cluster, such as"
                            + " the local stack.");
        }
    }

    /** Whether claims can be checked at all. */
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The pod as the API server shows it; empty when it does not exist.
     *
     * @param context what the read is for, for messages: {@code dumpId=...}
     * @throws FunctionFailure unavailable when the API cannot be reached, refuses us, or fails
     */
    public Optional<Pod> pod(String context, String namespace, String name) {
        return ask(
                context,
                "pod %s/%s".formatted(namespace, name),
                () ->
                        Optional.ofNullable(
                                client.pods().inNamespace(namespace).withName(name).get()),
                Optional.empty());
    }

    /**
     * The pod's top-level workload as the API shows it, following its controller owner references
     * ({@link OwnerChain}: a ReplicaSet owned by a Deployment is the Deployment); empty when the
     * pod has no controller. An owner the API no longer has is named as the reference names it.
     *
     * @param context what the read is for, for messages: {@code dumpId=...}
     * @throws FunctionFailure unavailable when the API cannot be reached, refuses us, or fails
     */
    public Optional<PodIdentity.Workload> workload(String context, Pod pod) {
        String what =
                "the owners of pod %s/%s"
                        .formatted(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        return ask(
                context,
                what,
                () ->
                        Optional.ofNullable(OwnerChain.top(client, pod))
                                .map(OwnerChain.Owner::workload),
                Optional.empty());
    }

    /**
     * The annotations of a namespace; empty when it does not exist.
     *
     * @param context what the read is for, for messages: {@code dumpId=...}
     * @throws FunctionFailure unavailable when the API cannot be reached, refuses us, or fails
     */
    public Optional<Map<String, String>> namespaceAnnotations(String context, String namespace) {
        return ask(
                context,
                "namespace " + namespace,
                () ->
                        Optional.ofNullable(client.namespaces().withName(namespace).get())
                                .map(PodVerification::annotations),
                Optional.empty());
    }

    /**
     * The annotations of a pod's workload, as {@link #workload} named it; empty when it no longer
     * exists, or is of a kind that is not read (a custom controller's).
     *
     * @param context what the read is for, for messages: {@code dumpId=...}
     * @throws FunctionFailure unavailable when the API cannot be reached, refuses us, or fails
     */
    public Optional<Map<String, String>> workloadAnnotations(
            String context, String namespace, PodIdentity.Workload workload) {
        return ask(
                context,
                "%s %s/%s".formatted(workload.kind(), namespace, workload.name()),
                () ->
                        Optional.ofNullable(
                                        OwnerChain.fetch(
                                                client,
                                                namespace,
                                                workload.kind(),
                                                workload.name()))
                                .map(PodVerification::annotations),
                Optional.empty());
    }

    private static Map<String, String> annotations(HasMetadata object) {
        Map<String, String> a = object.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    /** Runs a read, failing closed: only a 404 is an answer ({@code notFound}). */
    private <T> T ask(String context, String what, Supplier<T> read, T notFound) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return notFound;
            }
            throw FunctionFailure.unavailable(
                    "%s: the Kubernetes API could not be asked about %s (%s); the claim"
                                    .formatted(
                                            context,
                                            what,
                                            e.getCode() <= 0
                                                    ? "unreachable"
                                                    : "answered " + e.getCode())
                            + " stays unverified and nothing is done until it can be",
                    e);
        } catch (RuntimeException e) {
            throw FunctionFailure.unavailable(
                    "%s: reading %s from the Kubernetes API failed (%s)"
                            .formatted(context, what, e.getClass().getSimpleName()),
                    e);
        }
    }
}
