package dev.dumpflow.functions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.functions.gate.AccessReviews;
import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The download gate as {@code knative/} deploys it: its own cluster-local Service of the functions'
 * image with the gate turned on, an identity that may review tokens and rights and nothing else, a
 * reader role for namespace admins to bind, and a NetworkPolicy that opens the gate, not the
 * functions.
 */
class GateManifestTest {

    private static final KnativeManifests MANIFESTS = ManifestContractTest.MANIFESTS;

    @Test
    void runsTheFunctionsImageWithTheGateOnUnderItsOwnAccount() {
        Service functions = service("dumpflow-functions");
        Service gate = service("dumpflow-gate");
        Container container = gate.getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(container.getImage())
                .isEqualTo(
                        functions
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .getFirst()
                                .getImage());
        assertThat(container.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                "DUMPFLOW_DOWNLOAD_GATE_ENABLED", "true"),
                        org.assertj.core.groups.Tuple.tuple("DUMPFLOW_DOWNLOAD_GATE_ONLY", "true"));
        assertThat(container.getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(gate.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("dumpflow-gate");
        assertThat(gate.getMetadata().getLabels())
                .containsEntry("networking.knative.dev/visibility", "cluster-local");
        assertThat(functions.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .noneMatch(e -> e.getName().startsWith("DUMPFLOW_DOWNLOAD_"));
    }

    @Test
    void letsTheGateAccountReviewTokensAndRightsOnly() {
        ClusterRole reviewer = clusterRole("dumpflow-gate-reviewer");
        ClusterRoleBinding binding =
                MANIFESTS.ofType(ClusterRoleBinding.class).stream()
                        .filter(b -> b.getRoleRef().getName().equals("dumpflow-gate-reviewer"))
                        .findFirst()
                        .orElseThrow();

        assertThat(reviewer.getRules())
                .extracting(r -> r.getApiGroups().getFirst() + "/" + r.getResources().getFirst())
                .containsExactlyInAnyOrder(
                        "authentication.k8s.io/tokenreviews",
                        "authorization.k8s.io/subjectaccessreviews");
        assertThat(reviewer.getRules())
                .allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("create"));
        assertThat(binding.getSubjects())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getKind()).isEqualTo("ServiceAccount");
                            assertThat(s.getName()).isEqualTo("dumpflow-gate");
                        });
    }

    @Test
    void shipsAReaderRoleOnTheResourceTheGateAsksAbout() {
        List<PolicyRule> rules = clusterRole("dumpflow-dump-reader").getRules();

        assertThat(rules)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getApiGroups()).containsExactly(AccessReviews.GROUP);
                            assertThat(r.getResources()).containsExactly(AccessReviews.RESOURCE);
                            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list");
                        });
    }

    @Test
    void opensTheGateToTheClusterAndNotTheFunctions() {
        List<NetworkPolicy> selectingGate =
                MANIFESTS.ofType(NetworkPolicy.class).stream()
                        .filter(p -> "dumpflow-gate".equals(selected(p)))
                        .toList();

        assertThat(selectingGate).hasSize(1);
        assertThat(
                        selectingGate.getFirst().getSpec().getIngress().stream()
                                .flatMap(r -> r.getFrom().stream()))
                .anyMatch(GateManifestTest::anyNamespace);
        assertThat(MANIFESTS.ofType(NetworkPolicy.class))
                .filteredOn(p -> "dumpflow-functions".equals(selected(p)))
                .allSatisfy(
                        p ->
                                assertThat(p.getSpec().getIngress())
                                        .flatExtracting(r -> r.getFrom())
                                        .allSatisfy(
                                                peer ->
                                                        assertThat(
                                                                        peer.getNamespaceSelector()
                                                                                .getMatchLabels())
                                                                .isNotEmpty()));
    }

    /** A peer of every pod of every namespace: an empty namespace selector, no pod selector. */
    private static boolean anyNamespace(
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer peer) {
        var namespaces = peer.getNamespaceSelector();
        return namespaces != null
                && peer.getPodSelector() == null
                && (namespaces.getMatchLabels() == null || namespaces.getMatchLabels().isEmpty())
                && (namespaces.getMatchExpressions() == null
                        || namespaces.getMatchExpressions().isEmpty());
    }

    private static String selected(NetworkPolicy policy) {
        var labels = policy.getSpec().getPodSelector().getMatchLabels();
        return labels == null ? null : labels.get("serving.knative.dev/service");
    }

    private static Service service(String name) {
        return MANIFESTS.ofType(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ClusterRole clusterRole(String name) {
        return MANIFESTS.ofType(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
