package dev.dumpflow.functions.enrich;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Points the Kubernetes client at {@code dumpflow.kubernetes.api-server-url} when it is set. The
 * extension's own {@code quarkus.kubernetes-client.api-server-url} is fixed at build time; this one
 * is read at start-up, so the same jar can be aimed at another API server (a local cluster, a test
 * server).
 */
@Singleton
public class ApiServerOverride implements KubernetesConfigCustomizer {

    private final KubernetesConfig config;

    ApiServerOverride(KubernetesConfig config) {
        this.config = config;
    }

    @Override
    public void customize(Config kubernetes) {
        config.apiServerUrl().ifPresent(kubernetes::setMasterUrl);
    }
}
