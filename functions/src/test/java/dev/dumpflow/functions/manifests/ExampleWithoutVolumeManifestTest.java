package dev.dumpflow.functions.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * knative/example-no-volume/, rendered by {@link Kustomization} as InProcessPodIT renders it: the
 * sidecar reads the app's /tmp through /proc and keeps its state on an emptyDir of its own, nothing
 * else is shared. Where kubectl is installed, the rendering is also compared with its own.
 */
class ExampleWithoutVolumeManifestTest {

    private static final Path KNATIVE = ManifestContractTest.KNATIVE;
    private static final Path OVERLAY = KNATIVE.resolve("example-no-volume");

    private final PodSpec pod =
            Kustomization.render(OVERLAY)
                    .ofType(Deployment.class)
                    .getFirst()
                    .getSpec()
                    .getTemplate()
                    .getSpec();
    private final Container sidecar = pod.getInitContainers().getFirst();
    private final Container app = pod.getContainers().getFirst();

    @Test
    void pointsTheSidecarAtTheAppsOwnDirectoriesAndItsStateAtItsOwnVolume() {
        Map<String, String> env = env(sidecar);

        assertThat(env).doesNotContainKey("DUMPFLOW_DUMP_DIRS");
        assertThat(env)
                .containsEntry("DUMPFLOW_PROCESS_DUMP_DIRS", "auto")
                .containsEntry("DUMPFLOW_CAPTURE_DIR_IN_PROCESS", "/tmp")
                .containsEntry("DUMPFLOW_STATE_DIR", "/state")
                .containsEntry("DUMPFLOW_OUTBOX_DIR", "/state/outbox")
                // The base's other settings are kept.
                .containsEntry("DUMPFLOW_PORT", "8787")
                .containsEntry("DUMPFLOW_OUTBOX_MAX_EVENTS", "1000")
                .containsKey("DUMPFLOW_MEMORY_LIMIT_BYTES");
        assertThat(env.keySet()).isSubsetOf(ExampleApplicationTest.SIDECAR_READS.keySet());
        assertThat(sidecar.getImage()).isEqualTo("localhost/dumpflow/sidecar:dev");
    }

    @Test
    void sharesNoVolumeAndKeepsTheStateOnASmallTmpfs() {
        assertThat(sidecar.getVolumeMounts())
                .extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactly(tuple("state", "/state"));
        assertThat(app.getVolumeMounts()).isEmpty();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("state");
        var state = pod.getVolumes().getFirst().getEmptyDir();
        assertThat(state.getMedium()).isEqualTo("Memory");
        assertThat(state.getSizeLimit().toString()).isEqualTo("4Mi");
        assertThat(pod.getShareProcessNamespace()).isTrue();
    }

    @Test
    void letsTheAppWriteItsOomDumpIntoItsOwnTmp() {
        assertThat(env(app))
                .containsExactly(
                        Map.entry(
                                "JAVA_TOOL_OPTIONS",
                                "-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp"
                                        + " -XX:MaxRAMPercentage=75"));
    }

    @Test
    void rendersAsKubectlKustomizeDoes() throws Exception {
        Process kubectl;
        try {
            kubectl =
                    new ProcessBuilder("kubectl", "kustomize", OVERLAY.toString())
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
        } catch (IOException missing) {
            assumeTrue(false, "kubectl is not installed: nothing to compare with");
            return;
        }
        String rendered = new String(kubectl.getInputStream().readAllBytes());
        assertThat(kubectl.waitFor()).isZero();

        assertThat(Kustomization.renderTrees(OVERLAY)).isEqualTo(documents(rendered));
    }

    @Test
    void failsWhenTheBaseNoLongerHoldsWhatThePatchRemoves(@TempDir Path copy) throws Exception {
        copyTree(KNATIVE.resolve("example"), copy.resolve("example"));
        copyTree(OVERLAY, copy.resolve("example-no-volume"));
        Path base = copy.resolve("example/100-deployment.yaml");
        // A variable inserted before the outbox's shifts the index the patch removes.
        Files.writeString(
                base,
                Files.readString(base)
                        .replace(
                                "            - name: DUMPFLOW_OUTBOX_DIR\n",
                                "            - name: DUMPFLOW_OTHER\n"
                                        + "              value: x\n"
                                        + "            - name: DUMPFLOW_OUTBOX_DIR\n"));

        assertThatThrownBy(() -> Kustomization.render(copy.resolve("example-no-volume")))
                .hasMessageContaining("does not apply")
                .hasMessageContaining("/spec/template/spec/initContainers/0/env/3/name");
    }

    @Test
    void refusesWhatItDoesNotRenderRatherThanSkippingIt(@TempDir Path copy) throws Exception {
        copyTree(KNATIVE.resolve("example"), copy.resolve("example"));
        copyTree(OVERLAY, copy.resolve("example-no-volume"));
        Path kustomization = copy.resolve("example-no-volume/kustomization.yaml");
        Files.writeString(
                kustomization, Files.readString(kustomization) + "namePrefix: staging-\n");

        assertThatThrownBy(() -> Kustomization.render(copy.resolve("example-no-volume")))
                .hasMessageContaining("namePrefix")
                .hasMessageContaining("kubectl kustomize");
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        YAMLMapper mapper = new YAMLMapper();
        try (MappingIterator<JsonNode> it =
                mapper.readValues(mapper.createParser(yaml), JsonNode.class)) {
            return it.readAll();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }
}
