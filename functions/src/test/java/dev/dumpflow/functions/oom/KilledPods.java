package dev.dumpflow.functions.oom;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a cluster and the bucket show around an OOM kill: an enrolled pod of the Deployment {@code
 * billing} in the mock API server, whose container {@code app} (limit 512 MiB) the kernel killed an
 * hour after the pod was created; the dumps the archive and the index stored of it; its threshold
 * crossings, sent to notify as the sidecar sends them; and the pod's update as Knative's
 * ApiServerSource sends it.
 */
public final class KilledPods {

    public static final String NAMESPACE = "shop";
    public static final String DEPLOYMENT = "billing";
    public static final long LIMIT = 512L * 1024 * 1024;

    /** Where the API server of the ApiServerSource's events lives: their {@code source}. */
    public static final String API_SERVER = "https://10.96.0.1:443";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final KubernetesClient kube;
    private final S3Client s3;
    private final ObjectMapper json;

    public KilledPods(KubernetesClient kube, S3Client s3, ObjectMapper json) {
        this.kube = kube;
        this.s3 = s3;
        this.json = json;
    }

    /** A pod as the API server keeps it, and when its container was killed. */
    public record Killed(Pod pod, Instant killedAt) {

        /** The pod's identity for the container {@code app}, with its workload. */
        public PodIdentity identity() {
            return new PodIdentity(
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid(),
                    "node-a",
                    "app",
                    new PodIdentity.Workload("Deployment", DEPLOYMENT),
                    pod.getMetadata().getLabels());
        }
    }

    /** A new pod name, so that tests sharing the bucket and the API never meet. */
    public static String newPodName() {
        return DEPLOYMENT + "-7d9f8b6c5-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * An enrolled pod whose container {@code app} was OOM-killed an hour after the pod was created:
     * {@code lastState.terminated} says so, as the kubelet writes it.
     */
    public Killed oomKilled(String name) {
        return withLastState(name, "OOMKilled", true);
    }

    /**
     * An enrolled pod of the Deployment; its {@code app} last terminated for {@code reason} an hour
     * after its creation.
     *
     * @param enrolled whether it carries {@code dumpflow.dev/enabled=true}
     */
    public Killed withLastState(String name, String reason, boolean enrolled) {
        new ClusterFixture(kube).deployment(NAMESPACE, DEPLOYMENT, "team-checkout@example.test");
        Pod created =
                kube.pods()
                        .inNamespace(NAMESPACE)
                        .resource(pod(name, enrolled, null, null))
                        .create();
        Instant createdAt =
                created.getMetadata().getCreationTimestamp() == null
                        ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        : OffsetDateTime.parse(created.getMetadata().getCreationTimestamp())
                                .toInstant();
        Instant killedAt = createdAt.plus(1, ChronoUnit.HOURS);
        Pod killed =
                kube.pods()
                        .inNamespace(NAMESPACE)
                        .resource(pod(name, enrolled, reason, killedAt))
                        .update();
        return new Killed(killed, killedAt);
    }

    private Pod pod(String name, boolean enrolled, String reason, Instant finishedAt) {
        var replicaSet =
                kube.apps().replicaSets().inNamespace(NAMESPACE).withName(DEPLOYMENT + "-rs").get();
        var status =
                new ContainerStatusBuilder()
                        .withName("app")
                        .withImage(ClusterFixture.IMAGE)
                        .withRestartCount(reason == null ? 0 : 1);
        if (reason != null) {
            status.withNewLastState()
                    .withNewTerminated()
                    .withReason(reason)
                    .withExitCode(137)
                    .withStartedAt(finishedAt.minus(50, ChronoUnit.MINUTES).toString())
                    .withFinishedAt(finishedAt.toString())
                    .endTerminated()
                    .endLastState();
        }
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels("app", DEPLOYMENT)
                .addToLabels(enrolled ? Map.of("dumpflow.dev/enabled", "true") : Map.of())
                .withOwnerReferences(
                        new OwnerReferenceBuilder()
                                .withApiVersion("apps/v1")
                                .withKind("ReplicaSet")
                                .withName(replicaSet.getMetadata().getName())
                                .withUid(replicaSet.getMetadata().getUid())
                                .withController(true)
                                .build())
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .addNewContainer()
                .withName("app")
                .withImage(ClusterFixture.IMAGE)
                .withNewResources()
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP("10.1.2.3")
                .withContainerStatuses(status.build())
                .endStatus()
                .build();
    }

    /**
     * What the archive and the index store of a dump of the pod's {@code app}, closed at {@code
     * closedAt}, whose heap held {@code heapBytes}.
     *
     * @return its dumpId
     */
    public String storedDump(Killed killed, Instant closedAt, long heapBytes) {
        PodIdentity pod = killed.identity();
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String dumpId = STAMP.format(closedAt) + "-" + HexFormat.of().formatHex(random);
        IndexRecord record =
                new IndexRecord(
                        dumpId,
                        "dumpflow_threshold_pid42_" + STAMP.format(closedAt) + ".hprof",
                        closedAt,
                        DumpFormat.HPROF,
                        DumpCause.THRESHOLD,
                        42L,
                        S3ProxyResource.BUCKET,
                        StorageLayout.dumpKey(pod, dumpId, DumpFormat.HPROF, closedAt),
                        "zstd",
                        heapBytes + 20_000_000,
                        heapBytes / 5,
                        Samples.SHA256,
                        closedAt.plusSeconds(4),
                        pod,
                        null,
                        new HeapSummary(
                                false,
                                null,
                                2_000_000,
                                heapBytes,
                                1_800,
                                List.of(
                                        new HeapSummary.ClassStat(
                                                "byte[]", 120_000, heapBytes * 3 / 4),
                                        new HeapSummary.ClassStat(
                                                "java.util.HashMap$Node", 900_000, heapBytes / 8)),
                                List.of(),
                                Map.of(),
                                new HeapSummary.HeapLayout(8, 4, 12, 16, 8, true)),
                        null);
        RecordedDumps.indexed(
                s3, json, new DumpIndexed(dumpId, StorageLayout.indexKey(record), record));
        return dumpId;
    }

    /**
     * The sidecar's warning that {@code app}'s memory crossed {@code thresholdBytes} at {@code at},
     * as its event; {@code captureSkipped} as the sidecar says it, or null.
     */
    public static MemoryThresholdCrossed crossing(
            Killed killed, long rssBytes, long thresholdBytes, String captureSkipped) {
        PodIdentity pod = killed.identity();
        return new MemoryThresholdCrossed(
                42,
                "java -XX:MaxRAMPercentage=75 -jar checkout.jar",
                ProcessRuntime.JVM,
                rssBytes,
                LIMIT,
                thresholdBytes,
                "80%,95%",
                null,
                captureSkipped,
                new PodIdentity(
                        pod.namespace(),
                        pod.name(),
                        pod.uid(),
                        pod.node(),
                        pod.container(),
                        null,
                        pod.labels()));
    }

    /** Posts the sidecar's threshold event, timed {@code at}, to {@code target}. */
    public Response postCrossing(URI target, MemoryThresholdCrossed crossed, Instant at)
            throws Exception {
        return given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-type", EventTypes.MEMORY_THRESHOLD_CROSSED)
                .header(
                        "ce-source",
                        "/namespaces/%s/pods/%s/containers/app"
                                .formatted(crossed.pod().namespace(), crossed.pod().name()))
                .header("ce-time", at.toString())
                .body(json.writeValueAsBytes(crossed))
                .post(target)
                .andReturn();
    }

    /**
     * Posts to {@code target} the pod's update as the ApiServerSource sends it in Resource mode:
     * the whole pod as data, with its kind, name and namespace as extensions.
     */
    public Response postUpdate(URI target, String id, Pod pod) {
        var request = given();
        if (pod.getMetadata().getName() != null) {
            request.header("ce-name", pod.getMetadata().getName());
        }
        return request.contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", EventTypes.APISERVER_RESOURCE_UPDATE)
                .header("ce-source", API_SERVER)
                .header(
                        "ce-subject",
                        "/apis/v1/namespaces/%s/pods/%s"
                                .formatted(
                                        pod.getMetadata().getNamespace(),
                                        pod.getMetadata().getName()))
                .header("ce-kind", "Pod")
                .header("ce-namespace", pod.getMetadata().getNamespace())
                .body(kube.getKubernetesSerialization().asJson(pod))
                .post(target)
                .andReturn();
    }
}
