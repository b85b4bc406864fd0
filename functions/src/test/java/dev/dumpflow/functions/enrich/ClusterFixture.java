package dev.dumpflow.functions.enrich;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.UUID;

/**
 * Seeds the mock API server with what a real cluster shows after an OOMKill: a Deployment owning a
 * ReplicaSet owning pods, whose container was OOMKilled and restarted, with Events about it.
 */
public final class ClusterFixture {

    public static final String IMAGE = "registry.example/checkout:1.4.2";
    public static final Instant OOM_KILLED_AT = Instant.parse("2026-11-22T03:39:12Z");

    private final KubernetesClient client;

    public ClusterFixture(KubernetesClient client) {
        this.client = client;
    }

    /** A Deployment {@code name} and its ReplicaSet {@code name-rs}, with the team annotation. */
    public void deployment(String namespace, String name, String notifyEmail) {
        var deployment =
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .resource(
                                new DeploymentBuilder()
                                        .withNewMetadata()
                                        .withName(name)
                                        .withNamespace(namespace)
                                        .withUid(UUID.randomUUID().toString())
                                        .addToAnnotations("dumpflow.dev/notify-email", notifyEmail)
                                        .endMetadata()
                                        .build())
                        .createOr(existing -> existing.update());
        client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .resource(
                        new ReplicaSetBuilder()
                                .withNewMetadata()
                                .withName(name + "-rs")
                                .withNamespace(namespace)
                                .withUid(UUID.randomUUID().toString())
                                .withOwnerReferences(owner(deployment))
                                .endMetadata()
                                .build())
                .createOr(existing -> existing.update());
    }

    /** The UID the API server gave a pod (it assigns one on create, as a real one does). */
    public String uid(String namespace, String pod) {
        return client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getUid();
    }

    /** A pod of the ReplicaSet whose container {@code app} was OOMKilled and restarted 3 times. */
    public String oomKilledPod(String namespace, String deployment, String pod) {
        return oomKilledPod(namespace, deployment, pod, null, 0);
    }

    /**
     * The same pod with the dumpflow sidecar serving dumps: its IP is {@code podIp}, and its
     * sidecar's container port named {@code dump-fetch} is {@code fetchPort}.
     *
     * @return the UID the API server gave it
     */
    public String oomKilledPod(
            String namespace, String deployment, String pod, String podIp, int fetchPort) {
        var replicaSet =
                client.apps()
                        .replicaSets()
                        .inNamespace(namespace)
                        .withName(deployment + "-rs")
                        .get();
        return client.pods()
                .inNamespace(namespace)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(pod)
                                .withNamespace(namespace)
                                .withOwnerReferences(owner(replicaSet))
                                .endMetadata()
                                .withNewSpec()
                                .withNodeName("node-a")
                                .addNewContainer()
                                .withName("app")
                                .withImage(IMAGE)
                                .endContainer()
                                .addNewContainer()
                                .withName("dumpflow-sidecar")
                                .withImage("registry.example/dumpflow/sidecar:0.1.0")
                                .addNewPort()
                                .withName("dump-fetch")
                                .withContainerPort(fetchPort == 0 ? 8787 : fetchPort)
                                .endPort()
                                .endContainer()
                                .endSpec()
                                .withNewStatus()
                                .withPodIP(podIp == null ? "10.1.2.3" : podIp)
                                .withContainerStatuses(
                                        new ContainerStatusBuilder()
                                                .withName("app")
                                                .withImage(IMAGE)
                                                .withRestartCount(3)
                                                .withNewLastState()
                                                .withNewTerminated()
                                                .withReason("OOMKilled")
                                                .withExitCode(137)
                                                .withFinishedAt(OOM_KILLED_AT.toString())
                                                .endTerminated()
                                                .endLastState()
                                                .build())
                                .endStatus()
                                .build())
                .createOr(existing -> existing.update())
                .getMetadata()
                .getUid();
    }

    /** An Event about the pod, last seen at {@code lastSeen}. */
    public void podEvent(
            String namespace,
            String pod,
            String name,
            String type,
            String reason,
            String message,
            Instant lastSeen) {
        client.v1()
                .events()
                .inNamespace(namespace)
                .resource(
                        new EventBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .withNewInvolvedObject()
                                .withKind("Pod")
                                .withName(pod)
                                .withNamespace(namespace)
                                .endInvolvedObject()
                                .withType(type)
                                .withReason(reason)
                                .withMessage(message)
                                .withCount(1)
                                .withLastTimestamp(lastSeen.toString())
                                .build())
                .createOr(existing -> existing.update());
    }

    private static OwnerReference owner(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }
}
