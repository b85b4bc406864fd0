package dev.dumpflow.functions.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example application of knative/example/ keeps the sidecar's contract and the pod's. */
class ExampleApplicationTest {

    static final KnativeManifests MANIFESTS = ManifestContractTest.MANIFESTS;
    static final Map<String, String> SIDECAR_READS =
            SidecarVariables.fromDocs(Path.of("..", "docs", "configuration.md"));

    private final Deployment app = MANIFESTS.ofType(Deployment.class).getFirst();
    private final PodSpec pod = app.getSpec().getTemplate().getSpec();
    private final Container sidecar = pod.getInitContainers().getFirst();
    private final Container jvm = pod.getContainers().getFirst();

    @Test
    void givesTheSidecarOnlyVariablesItReads() {
        assertThat(env(sidecar).keySet()).isSubsetOf(SIDECAR_READS.keySet());
    }

    @Test
    void givesTheSidecarEveryRequiredVariableWithTheSinkBindingProvidingKSink() {
        Set<String> given = new java.util.HashSet<>(env(sidecar).keySet());
        // A SinkBinding injects K_SINK into every container of the Deployments it selects.
        boolean bound =
                MANIFESTS.ofType(SinkBinding.class).stream()
                        .map(b -> b.getSpec().getSubject())
                        .filter(s -> "Deployment".equals(s.getKind()) && s.getSelector() != null)
                        .anyMatch(
                                s ->
                                        app.getMetadata()
                                                .getLabels()
                                                .entrySet()
                                                .containsAll(
                                                        s.getSelector()
                                                                .getMatchLabels()
                                                                .entrySet()));
        if (bound) {
            given.add("K_SINK");
        }
        Set<String> required =
                SIDECAR_READS.entrySet().stream()
                        .filter(e -> e.getValue().toLowerCase().contains("required"))
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());
        Set<String> fromDownwardApi =
                SIDECAR_READS.entrySet().stream()
                        .filter(e -> e.getValue().contains("Downward API"))
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());

        assertThat(required).contains("K_SINK");
        assertThat(given).containsAll(required).containsAll(fromDownwardApi);
    }

    @Test
    void takesThePodIdentityAndTheAppsMemoryLimitFromTheDownwardApi() {
        Map<String, EnvVar> env = env(sidecar);

        assertThat(fieldPath(env, "POD_NAME")).isEqualTo("metadata.name");
        assertThat(fieldPath(env, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
        assertThat(fieldPath(env, "POD_UID")).isEqualTo("metadata.uid");
        assertThat(fieldPath(env, "NODE_NAME")).isEqualTo("spec.nodeName");
        assertThat(fieldPath(env, "POD_IP")).isEqualTo("status.podIP");
        assertThat(env.get("CONTAINER_NAME").getValue()).isEqualTo(jvm.getName());
        var limit = env.get("DUMPFLOW_MEMORY_LIMIT_BYTES").getValueFrom().getResourceFieldRef();
        assertThat(limit.getContainerName()).isEqualTo(jvm.getName());
        assertThat(limit.getResource()).isEqualTo("limits.memory");
        assertThat(jvm.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void runsTheSidecarAsANativeSidecarSharingTheProcessNamespace() {
        assertThat(pod.getShareProcessNamespace()).isTrue();
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getPorts()).anyMatch(p -> p.getContainerPort() == 8787);
    }

    @Test
    void writesOomDumpsToASizeLimitedVolumeBothContainersMount() {
        Volume dumps =
                pod.getVolumes().stream()
                        .filter(v -> v.getEmptyDir() != null)
                        .findFirst()
                        .orElseThrow();
        assertThat(dumps.getEmptyDir().getSizeLimit()).isNotNull();
        assertThat(Quantity.getAmountInBytes(dumps.getEmptyDir().getSizeLimit()).signum())
                .isPositive();
        for (Container c : new Container[] {sidecar, jvm}) {
            assertThat(c.getVolumeMounts())
                    .anyMatch(
                            m ->
                                    m.getName().equals(dumps.getName())
                                            && m.getMountPath().equals("/dumps"));
        }
        String jvmOptions =
                String.join(" ", jvm.getArgs() == null ? java.util.List.of() : jvm.getArgs())
                        + " "
                        + env(jvm).values().stream()
                                .map(EnvVar::getValue)
                                .filter(java.util.Objects::nonNull)
                                .collect(Collectors.joining(" "));
        assertThat(jvmOptions)
                .contains("-XX:+HeapDumpOnOutOfMemoryError")
                .contains("-XX:HeapDumpPath=/dumps");
    }

    @Test
    void runsTheSidecarAsTheApplicationsNonRootUserWithNoAddedCapabilities() {
        Long appUser =
                jvm.getSecurityContext() != null && jvm.getSecurityContext().getRunAsUser() != null
                        ? jvm.getSecurityContext().getRunAsUser()
                        : pod.getSecurityContext().getRunAsUser();
        Long sidecarUser =
                sidecar.getSecurityContext() != null
                                && sidecar.getSecurityContext().getRunAsUser() != null
                        ? sidecar.getSecurityContext().getRunAsUser()
                        : pod.getSecurityContext().getRunAsUser();

        assertThat(sidecarUser).isNotNull().isEqualTo(appUser).isNotZero();
        assertThat(sidecar.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(sidecar.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        var capabilities = sidecar.getSecurityContext().getCapabilities();
        assertThat(capabilities.getAdd()).isNullOrEmpty();
        assertThat(capabilities.getDrop()).contains("ALL");
    }

    @Test
    void letsOnlyTheFunctionsReachTheSidecarsPort() {
        NetworkPolicy policy = MANIFESTS.ofType(NetworkPolicy.class).getFirst();

        assertThat(app.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        var toSidecar =
                policy.getSpec().getIngress().stream()
                        .filter(
                                rule ->
                                        rule.getPorts().stream()
                                                .anyMatch(
                                                        p ->
                                                                p.getPort().getIntVal() != null
                                                                        && p.getPort().getIntVal()
                                                                                <= 8787
                                                                        && (p.getEndPort() == null
                                                                                        ? p.getPort()
                                                                                                .getIntVal()
                                                                                        : p
                                                                                                .getEndPort())
                                                                                >= 8787
                                                                        && !"UDP"
                                                                                .equals(
                                                                                        p
                                                                                                .getProtocol())))
                        .toList();
        assertThat(toSidecar)
                .singleElement()
                .satisfies(
                        rule ->
                                assertThat(rule.getFrom())
                                        .singleElement()
                                        .satisfies(
                                                peer ->
                                                        assertThat(
                                                                        peer.getPodSelector()
                                                                                .getMatchLabels())
                                                                .containsEntry(
                                                                        "serving.knative.dev/service",
                                                                        "dumpflow-functions")));
    }

    private static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    private static String fieldPath(Map<String, EnvVar> env, String name) {
        return env.get(name).getValueFrom().getFieldRef().getFieldPath();
    }
}
