package dev.dumpflow.functions.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.icegreen.greenmail.util.GreenMail;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.LogCapture;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.notify.SlackRecorder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The product on one machine: the real sidecar (its packaged jar, started as the local stack starts
 * it) announces a real HPROF to the local broker, which routes by the repository's real {@code
 * knative/} Triggers to the archive, index and notify functions, whose replies go back through the
 * broker. Only S3, SMTP, Slack and the Kubernetes API are local stand-ins (real servers).
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PipelineEndToEndTest {

    private static final Path SIDECAR_JAR =
            Path.of("../sidecar-emitter/target/dumpflow-sidecar.jar");
    private static final Path SIDECAR_OPTIONS = Path.of("../sidecar-emitter/jvm.options");
    private static final String POD = "checkout-e2e-0";
    private static final Duration PIPELINE_DEADLINE = Duration.ofSeconds(60);

    private static Path dumps;
    private static ChildProcess sidecar;
    private static int sidecarPort;
    private static String podUid;
    private static String markerUid;

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    SlackRecorder slack;
    GreenMail greenMail;

    @BeforeAll
    static void startSidecar() throws Exception {
        if (!Files.isRegularFile(SIDECAR_JAR)) {
            throw new IllegalStateException(
                    SIDECAR_JAR.toAbsolutePath().normalize()
                            + " is missing: build it with"
                            + " ./mvnw -B -o -pl sidecar-emitter,functions -am verify");
        }
        dumps = Files.createTempDirectory("dumpflow-e2e-dumps");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            sidecarPort = probe.getLocalPort();
        }
        try (KubernetesClient kube =
                new KubernetesClientBuilder()
                        .withConfig(
                                new ConfigBuilder()
                                        .withMasterUrl(
                                                ConfigProvider.getConfig()
                                                        .getValue(
                                                                "dumpflow.kubernetes.api-server-url",
                                                                String.class))
                                        .build())
                        .build()) {
            // What the API server shows of the sidecar's pod: its UID, IP and dump-fetch port,
            // which
            // the archive checks the sidecar's claim against.
            podUid =
                    kube.pods()
                            .inNamespace("shop")
                            .resource(
                                    new PodBuilder()
                                            .withNewMetadata()
                                            .withName(POD)
                                            .withNamespace("shop")
                                            .endMetadata()
                                            .withNewSpec()
                                            .addNewContainer()
                                            .withName("app")
                                            .endContainer()
                                            .addNewInitContainer()
                                            .withName("dumpflow-sidecar")
                                            .withRestartPolicy("Always")
                                            .addNewPort()
                                            .withName("dump-fetch")
                                            .withContainerPort(sidecarPort)
                                            .endPort()
                                            .endInitContainer()
                                            .endSpec()
                                            .withNewStatus()
                                            .withPodIP("127.0.0.1")
                                            .endStatus()
                                            .build())
                            .createOr(existing -> existing.update())
                            .getMetadata()
                            .getUid();
        }
        sidecar =
                ChildProcess.start(
                        "sidecar",
                        List.of(
                                ChildProcess.java().toString(),
                                "@" + SIDECAR_OPTIONS,
                                "-jar",
                                SIDECAR_JAR.toString()),
                        Map.of(
                                "K_SINK",
                                brokerIngress().toString(),
                                "DUMPFLOW_DUMP_DIRS",
                                dumps.toString(),
                                "DUMPFLOW_PORT",
                                Integer.toString(sidecarPort),
                                "DUMPFLOW_ADVERTISE_HOST",
                                "127.0.0.1",
                                // Matches no process: the memory watch announces no threshold.
                                "DUMPFLOW_PROCESS_MATCH",
                                "^dumpflow-e2e-matches-no-process$",
                                "POD_NAMESPACE",
                                "shop",
                                "POD_NAME",
                                POD,
                                "POD_UID",
                                podUid,
                                "CONTAINER_NAME",
                                "app"),
                        "sidecar started");
    }

    @AfterAll
    static void stopSidecar() throws Exception {
        if (sidecar != null) {
            sidecar.close();
        }
        if (dumps != null) {
            try (var files = Files.walk(dumps)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void forgetNotificationsAndSeedTheCluster() throws Exception {
        slack.reset();
        greenMail.purgeEmailFromAllMailboxes();
        // The pod of the threshold marker event below.
        new ClusterFixture(kube).deployment("shop", "checkout", "team-checkout@example.test");
        markerUid = new ClusterFixture(kube).oomKilledPod("shop", "checkout", Samples.pod().name());
    }

    @Test
    void aHeapDumpWrittenNextToTheSidecarIsArchivedIndexedAndNotifiedThroughTheRealTriggers()
            throws Exception {
        try {
            Path written = heapDumpOfAChildJvm();
            // Hashed before it is moved in: from then on the pipeline may delete it any moment.
            String sha256 = sha256(Files.newInputStream(written));
            Path dump =
                    Files.move(
                            written,
                            dumps.resolve(written.getFileName().toString().replace(".tmp", "")),
                            StandardCopyOption.ATOMIC_MOVE);

            await(
                    "archived, indexed and notified",
                    () ->
                            "Slack posts %d, e-mails %d, sidecar copy deleted %b"
                                    .formatted(
                                            slack.posts().size(),
                                            greenMail.getReceivedMessages().length,
                                            !Files.exists(dump)),
                    () ->
                            !slack.posts().isEmpty()
                                    && greenMail.getReceivedMessages().length > 0
                                    && !Files.exists(dump));

            List<S3Object> stored = objects("dumps/");
            assertThat(stored).as("objects under dumps/").hasSize(1);
            try (InputStream archived =
                    new ZstdInputStream(
                            s3.getObject(b -> b.bucket(bucket()).key(stored.getFirst().key())))) {
                assertThat(sha256(archived)).isEqualTo(sha256);
            }
            List<S3Object> indexed =
                    objects("index/").stream()
                            // The functions' own folders (index/_...) hold no index records, and
                            // other tests of this application index dumps of Deployments; the
                            // sidecar's pod is in no workload the mock API server knows.
                            .filter(o -> !o.key().startsWith(StorageLayout.INDEX_PREFIX + "_"))
                            .filter(
                                    o ->
                                            o.key()
                                                    .contains(
                                                            "/workload="
                                                                    + StorageLayout.UNKNOWN_WORKLOAD
                                                                    + "/"))
                            .toList();
            assertThat(indexed).as("objects under index/").hasSize(1);
            IndexRecord record =
                    json.readValue(
                            s3.getObjectAsBytes(
                                            b -> b.bucket(bucket()).key(indexed.getFirst().key()))
                                    .asByteArray(),
                            IndexRecord.class);
            assertThat(record.sha256()).isEqualTo(sha256);
            assertThat(record.redaction()).as("stored as fetched: no redaction").isNull();
            assertThat(record.analysis()).as("the HPROF analysis").isNotNull();
            assertThat(record.analysis().truncated()).isFalse();
            assertThat(record.analysis().topClasses())
                    .as("the dumped JVM's %d long[%d]", IdleJvm.ARRAYS, IdleJvm.ARRAY_LENGTH)
                    .anySatisfy(
                            c -> {
                                assertThat(c.className()).isEqualTo("long[]");
                                assertThat(c.instances()).isGreaterThanOrEqualTo(IdleJvm.ARRAYS);
                                assertThat(c.bytes())
                                        .isGreaterThan(
                                                (long) IdleJvm.ARRAYS * IdleJvm.ARRAY_LENGTH * 8);
                            });
            assertThat(stored.getFirst().key()).contains(record.dumpId());

            assertThat(slack.posts()).hasSize(1);
            assertThat(slack.posts().getFirst().body())
                    .contains(record.dumpId(), POD, "What filled the heap")
                    .doesNotContain("Stored redacted");
            MimeMessage[] mails = greenMail.getReceivedMessages();
            assertThat(mails).hasSize(1);
            assertThat(text(mails[0])).contains(record.dumpId(), POD, "What filled the heap");
        } catch (Throwable failed) {
            System.err.println("sidecar output:\n" + sidecar.output());
            throw failed;
        }
    }

    @Test
    void anEventNoTriggerMatchesIsAcceptedAndReachesNoFunctionWhileAMalformedOneIsRefused()
            throws Exception {
        String unknownDumpId = "20261122T050000Z-e2eunrouted";
        String unknownId = UUID.randomUUID().toString();
        try (LogCapture log = LogCapture.install()) {
            given().contentType("application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", unknownId)
                    .header("ce-type", "dev.dumpflow.dump.mislaid")
                    .header("ce-source", "/namespaces/shop/pods/" + POD + "/containers/app")
                    .header("ce-dumpid", unknownDumpId)
                    .body("{\"dumpId\":\"" + unknownDumpId + "\"}")
                    .post(brokerIngress())
                    .then()
                    .statusCode(202);
            given().contentType("application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-type", EventTypes.DUMP_CLOSED)
                    .header("ce-source", "/namespaces/shop/pods/" + POD + "/containers/app")
                    .body("{}")
                    .post(brokerIngress())
                    .then()
                    .statusCode(400);
            // A routed event sent after the unrouted one: once its notification is in, a delivery
            // of the unrouted event (refused by the functions, then dead-lettered into a
            // dump.failed notification) would have had the same time to show.
            given().contentType("application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", UUID.randomUUID().toString())
                    .header("ce-type", EventTypes.MEMORY_THRESHOLD_CROSSED)
                    .header("ce-source", "/namespaces/shop/pods/e2e-marker/containers/app")
                    .body(json.writeValueAsBytes(thresholdMarker()))
                    .post(brokerIngress())
                    .then()
                    .statusCode(202);

            await(
                    "the routed marker's Slack post",
                    () -> "Slack posts " + slack.posts().size(),
                    () -> !slack.posts().isEmpty());

            // The broker decides at ingress, before answering 202; a delivery, a retry or a dead
            // letter of the event would log its id too.
            assertThat(log.lines())
                    .filteredOn(line -> line.contains(unknownId))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains("matches no Trigger"));
        }
        assertThat(slack.posts())
                .singleElement()
                .satisfies(p -> assertThat(p.body()).doesNotContain(unknownDumpId));
        assertThat(objects("")).noneMatch(o -> o.key().contains(unknownDumpId));
    }

    /**
     * Dumps a small, real JVM into the watched directory under a temporary name (.tmp), which the
     * sidecar ignores until the file is moved to its final name.
     */
    private static Path heapDumpOfAChildJvm() throws Exception {
        try (ChildProcess jvm =
                ChildProcess.start(
                        "dumped JVM",
                        List.of(
                                ChildProcess.java().toString(),
                                "-Xmx32m",
                                "-XX:+UseSerialGC",
                                "-cp",
                                Path.of("target/test-classes").toString(),
                                IdleJvm.class.getName()),
                        Map.of(),
                        "ready")) {
            Path partial = dumps.resolve("java_pid" + jvm.pid() + ".hprof.tmp");
            Process jcmd =
                    new ProcessBuilder(
                                    ChildProcess.jdkTool("jcmd").toString(),
                                    Long.toString(jvm.pid()),
                                    "GC.heap_dump",
                                    partial.toString())
                            .redirectErrorStream(true)
                            .start();
            String said = new String(jcmd.getInputStream().readAllBytes());
            assertThat(jcmd.waitFor()).as("jcmd said: %s", said).isZero();
            return partial;
        }
    }

    /** A threshold warning about the sample pod, with the UID the API server gave it. */
    private static MemoryThresholdCrossed thresholdMarker() {
        MemoryThresholdCrossed s = Samples.thresholdCrossed();
        PodIdentity p = s.pod();
        return new MemoryThresholdCrossed(
                s.pid(),
                s.command(),
                s.runtime(),
                s.rssBytes(),
                s.limitBytes(),
                s.thresholdBytes(),
                s.rule(),
                s.nextThresholdBytes(),
                s.captureSkipped(),
                new PodIdentity(
                        p.namespace(),
                        p.name(),
                        markerUid,
                        p.node(),
                        p.container(),
                        p.workload(),
                        p.labels()));
    }

    private static String bucket() {
        return ConfigProvider.getConfig().getValue("dumpflow.bucket", String.class);
    }

    /** The objects under a prefix, without the directory entries S3Proxy's file store lists. */
    private List<S3Object> objects(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .toList();
    }

    private static void await(String what, Supplier<String> progress, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + PIPELINE_DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not " + what + " within " + PIPELINE_DEADLINE + ": " + progress.get());
            }
            Thread.sleep(50);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Every text part of a message, decoded. */
    private static String text(Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < multipart.getCount(); i++) {
                texts.add(text(multipart.getBodyPart(i)));
            }
            return String.join("\n", texts);
        }
        return content instanceof String s ? s : "";
    }

    /** The local broker's ingress: the functions' K_SINK (LocalBrokerResource). */
    private static URI brokerIngress() {
        return ConfigProvider.getConfig().getValue("K_SINK", URI.class);
    }
}
