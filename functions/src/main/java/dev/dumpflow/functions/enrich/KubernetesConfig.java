package dev.dumpflow.functions.enrich;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How dumpflow reads the Kubernetes API to enrich records and find the team's recipients. */
@ConfigMapping(prefix = "dumpflow.kubernetes")
public interface KubernetesConfig {

    /** Whether to ask the Kubernetes API at all; off outside a cluster saves a failed call. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The API server to ask instead of the in-cluster one or the kubeconfig's, read at start-up
     * (the extension's {@code quarkus.kubernetes-client.api-server-url} is fixed at build time).
     */
    Optional<String> apiServerUrl();

    /** How many of the pod's recent Events go into the record, newest first. */
    @WithDefault("10")
    int maxEvents();

    /**
     * Whether the API server narrows the pod's Events with a field selector ({@code
     * involvedObject.name}), as a real API server does. Turn it off for servers that cannot (the
     * fabric8 mock server, some proxies): the namespace's Events are then listed and filtered here,
     * which costs more in a busy namespace.
     */
    @WithDefault("true")
    boolean eventsFieldSelector();

    /**
     * After the API was unreachable or refused us (401/403), how long to skip it before trying
     * again, so that every event does not pay for a failed call.
     */
    @WithDefault("5m")
    Duration retryAfter();
}
