package dev.dumpflow.functions.enrich;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The gate in front of every Kubernetes API call. Enrichment is a nicety: outside a cluster, or
 * without RBAC, dumpflow still indexes and notifies, and says so in one log line per process rather
 * than one per event. After such a failure it leaves the API alone for {@link
 * KubernetesConfig#retryAfter()}, so events do not each wait for a refused connection.
 */
@ApplicationScoped
public class ClusterAccess {

    private static final Logger LOG = Logger.getLogger(ClusterAccess.class);

    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final Clock clock;
    private final AtomicBoolean skipLogged = new AtomicBoolean();
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);

    ClusterAccess(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /**
     * Runs {@code call} against the API. Empty when the API is turned off, unreachable, refuses us,
     * or answers 404 (the pod is gone); never throws for those.
     *
     * @param context what the call is for, for the log: {@code dumpId=...}, or a pod
     */
    public <T> Optional<T> read(String context, Function<KubernetesClient, T> call) {
        if (!config.enabled() || clock.instant().isBefore(pausedUntil.get())) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(call.apply(client));
        } catch (KubernetesClientException e) {
            return handle(context, e);
        } catch (RuntimeException e) {
            // An answer the client could not read: enrichment is a nicety, indexing goes on.
            LOG.warnf(
                    "%s: reading the Kubernetes API failed (%s), enrichment skipped this time",
                    context, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private <T> Optional<T> handle(String context, KubernetesClientException e) {
        int code = e.getCode();
        if (code == 404) {
            LOG.infof("%s: the Kubernetes API no longer knows the pod or its owner", context);
            return Optional.empty();
        }
        if (code <= 0 || code == 401 || code == 403) {
            pausedUntil.set(clock.instant().plus(config.retryAfter()));
            if (skipLogged.compareAndSet(false, true)) {
                LOG.warnf(
                        "Kubernetes enrichment skipped: %s (first seen for %s); records and"
                                + " notifications go on without workload, events and team"
                                + " recipients. This is logged once per process.",
                        code <= 0
                                ? "the API server is unreachable (not in a cluster?)"
                                : "the API answered "
                                        + code
                                        + " (missing RBAC: get pods, list events,"
                                        + " replicasets, deployments, statefulsets, daemonsets,"
                                        + " jobs, cronjobs)",
                        context);
            }
            return Optional.empty();
        }
        LOG.warnf(
                "%s: the Kubernetes API answered %d, enrichment skipped this time", context, code);
        return Optional.empty();
    }
}
