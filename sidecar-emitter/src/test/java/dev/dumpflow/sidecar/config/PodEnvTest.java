package dev.dumpflow.sidecar.config;

import static dev.dumpflow.sidecar.config.SidecarConfigTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pod identity from the Downward API: what Kubernetes gives is taken, nothing else. */
class PodEnvTest {

    @Test
    void namesAsTheDownwardApiGivesThemAreTaken() {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        env(
                                "POD_NAME", "checkout-7d9f8b6c5-x2x9q",
                                "POD_NAMESPACE", "shop",
                                "POD_UID", "3c1e0f0a-1111-4222-8333-944455556666",
                                "NODE_NAME", "ip-10-0-1-17.eu-west-1.compute.internal",
                                "CONTAINER_NAME", "app"));

        assertThat(config.pod().name()).isEqualTo("checkout-7d9f8b6c5-x2x9q");
        assertThat(config.pod().node()).isEqualTo("ip-10-0-1-17.eu-west-1.compute.internal");
    }

    @Test
    void aPodNameWithANewlineStopsStartUpNamingPodName() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("POD_NAME", "checkout\n-1")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.variable()).isEqualTo("POD_NAME"))
                .hasMessageContaining("DNS-1123 subdomain");
    }

    @Test
    void aNamespaceLongerThanKubernetesAllowsStopsStartUpNamingPodNamespace() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("POD_NAMESPACE", "n".repeat(1000))))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.variable()).isEqualTo("POD_NAMESPACE"))
                .hasMessageContaining("at most 63 characters");
    }

    @Test
    void aWorkstationsHostNameBecomesAPodNameKubernetesWouldTake() {
        assertThat(PodEnv.podNameOf("Johns-MacBook-Pro.local"))
                .isEqualTo("johns-macbook-pro.local");
        assertThat(PodEnv.podNameOf("build_agent..07-")).isEqualTo("build-agent.07");
        assertThat(PodEnv.podNameOf("_")).isEqualTo("localhost");
        assertThat(PodEnv.podNameOf("h".repeat(300))).hasSize(253);
    }
}
