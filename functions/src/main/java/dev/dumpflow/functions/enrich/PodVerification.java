package dev.dumpflow.functions.enrich;

import dev.dumpflow.functions.FunctionFailure;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
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
        try {
            return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw FunctionFailure.unavailable(
                    "%s: the Kubernetes API could not be asked about pod %s/%s (%s); the claim"
                                    .formatted(
                                            context,
                                            namespace,
                                            name,
                                            e.getCode() <= 0
                                                    ? "unreachable"
                                                    : "answered " + e.getCode())
                            + " stays unverified and nothing is done until it can be",
                    e);
        } catch (RuntimeException e) {
            throw FunctionFailure.unavailable(
                    "%s: reading pod %s/%s from the Kubernetes API failed (%s)"
                            .formatted(context, namespace, name, e.getClass().getSimpleName()),
                    e);
        }
    }
}
