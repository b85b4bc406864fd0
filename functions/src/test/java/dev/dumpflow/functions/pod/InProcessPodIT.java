package dev.dumpflow.functions.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.functions.manifests.Kustomization;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example pod without a shared volume (knative/example-no-volume/, rendered by {@link
 * Kustomization} as kubectl kustomize would) as podman containers: the app JVM writes its OOM dump
 * into its own /tmp, which only its container sees, and the sidecar, in the same process namespace,
 * finds it through {@code /proc/<pid>/root}, announces it, and serves it after the app has exited;
 * a capture through attach lands in the app's own /tmp as well. The test is the sink and the
 * archive: it takes the events, fetches with the token, compares with the file as the app's
 * container holds it, and deletes.
 *
 * <p>Only the sidecar's and the app's images are built, with the tag of {@code DUMPFLOW_IMAGE_TAG}
 * ({@code dev} by default; another keeps the run from replacing images a concurrent build uses).
 */
class InProcessPodIT {

    private static final Path REPOSITORY = Podman.REPOSITORY;
    private static final Path LOGS = Path.of("target/in-process-pod");
    // The images as knative/example/kustomization.yaml names them.
    private static final Map<String, String> IMAGES =
            Map.of(
                    "localhost/dumpflow/sidecar:dev", Podman.image("sidecar"),
                    "localhost/dumpflow/example-app:dev", Podman.image("example-app"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String adminToken = UUID.randomUUID().toString();
    private Path work;
    private PodmanPod pod;

    @AfterEach
    void keepLogsAndStop() throws Exception {
        Files.createDirectories(LOGS);
        for (String container : containers) {
            try {
                Files.writeString(LOGS.resolve(container + ".log"), Podman.run("logs", container));
            } catch (IllegalStateException gone) {
                // removed with its pod
            }
        }
        Collections.reverse(started);
        for (AutoCloseable c : started) {
            c.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void dumpsInTheAppsOwnTmpAreServedAfterItExitsAndCapturesLandThereToo() throws Exception {
        Podman.requireWorking();
        System.out.println(Podman.buildImages("sidecar", "example-app"));
        work = Files.createTempDirectory("dumpflow-inproc-pod");
        PodSpec spec = renderedOverlay();
        // The point of the variant: nothing is shared but the process namespace.
        assertThat(spec.getVolumes()).noneMatch(v -> v.getName().equals("dumps"));
        Container sidecarSpec = spec.getInitContainers().getFirst();
        Container appSpec = spec.getContainers().getFirst();
        assertThat(appSpec.getVolumeMounts()).isNullOrEmpty();

        String podName = "example-no-volume-" + Long.toHexString(System.nanoTime());
        pod = PodmanPod.create(podName, "dumpflow", spec, IMAGES, work);
        started.add(pod);
        InetAddress host =
                InetAddress.getByName(
                        Podman.run(
                                "network",
                                "inspect",
                                "--format",
                                "{{range .Subnets}}{{.Gateway}}{{end}}",
                                "podman"));
        SinkTap sink = SinkTap.recording(host);
        started.add(sink);
        ContainerEnv.set(sidecarSpec, "K_SINK", sink.url().toString());
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_POLL_INTERVAL", "1s");
        // Out of the leaks' way: this test asks for its capture.
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_THRESHOLDS", "95%");
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_ADMIN_TOKEN", adminToken);
        container(pod.start(sidecarSpec.getName(), podName + "-sidecar"));
        Endpoints.awaitOk(
                http, URI.create("http://" + pod.ip() + ":8787/healthz"), Duration.ofSeconds(30));

        // (a) The JVM's own OOM dump, in its /tmp, served after the JVM exited.
        String options = ContainerEnv.get(appSpec, "JAVA_TOOL_OPTIONS");
        assertThat(options).contains("-XX:HeapDumpPath=/tmp");
        ContainerEnv.set(
                appSpec,
                "JAVA_TOOL_OPTIONS",
                options.replaceAll("-XX:MaxRAMPercentage=\\S+", "-Xmx48m"));
        appSpec.setArgs(List.of("40"));
        String firstRun = container(pod.start(appSpec.getName(), podName + "-app-1"));
        int exit = Integer.parseInt(Podman.run(Duration.ofMinutes(3), "wait", firstRun));
        SinkTap.Arrival oom =
                sink.await(
                        a -> isDumpClosed(a, "oom"),
                        Duration.ofMinutes(1),
                        "dump.closed of the JVM's own dump");
        JsonNode oomData = oom.data();
        String oomShaInApp = shaInContainer(firstRun, "/tmp/" + oomData.path("fileName").asText());
        HttpResponse<byte[]> served = fetch("GET", oomData, null);
        HttpResponse<byte[]> head = fetch("GET", oomData, "bytes=0-17");
        long heldBeforeDelete = metric("dumpflow_sidecar_dumps_held");
        int deleted = fetch("DELETE", oomData, null).statusCode();
        int afterDelete = fetch("GET", oomData, null).statusCode();

        // (b) A capture through attach, into the running app's own /tmp.
        ContainerEnv.set(
                appSpec,
                "JAVA_TOOL_OPTIONS",
                options.replaceAll("-XX:MaxRAMPercentage=\\S+", "-Xmx128m"));
        appSpec.setArgs(List.of("500"));
        String secondRun = container(pod.start(appSpec.getName(), podName + "-app-2"));
        JsonNode accepted = requestCapture(Duration.ofSeconds(90));
        String captureName = accepted.path("fileName").asText();
        SinkTap.Arrival capture =
                sink.await(
                        a ->
                                isDumpClosed(a, "manual")
                                        && a.data().path("fileName").asText().equals(captureName),
                        Duration.ofMinutes(2),
                        "dump.closed of the capture");
        String captureShaInApp = shaInContainer(secondRun, "/tmp/" + captureName);
        HttpResponse<byte[]> capturedBytes = fetch("GET", capture.data(), null);
        int captureDeleted = fetch("DELETE", capture.data(), null).statusCode();

        String figures =
                """
                FIGURES in-process-pod:
                  OOM dump: %s, %,d bytes, app exit %d; served after exit: %d, %,d bytes
                  capture:  %s, %,d bytes; served: %d
                  sidecar: dumps_unreachable %d, process_roots_refused %d\
                """
                        .formatted(
                                oomData.path("fileName").asText(),
                                oomData.path("sizeBytes").asLong(),
                                exit,
                                served.statusCode(),
                                served.body().length,
                                captureName,
                                capture.data().path("sizeBytes").asLong(),
                                capturedBytes.statusCode(),
                                metric("dumpflow_sidecar_dumps_unreachable_total"),
                                metric("dumpflow_sidecar_process_roots_refused_total"));
        System.out.println(figures);
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve("figures.txt"), figures + "\n");

        assertThat(exit).as(figures).isNotZero();
        assertThat(served.statusCode()).as(figures).isEqualTo(200);
        assertThat(sha256(served.body())).isEqualTo(oomShaInApp);
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(new String(head.body(), StandardCharsets.US_ASCII))
                .isEqualTo("JAVA PROFILE 1.0.2");
        assertThat(heldBeforeDelete).isEqualTo(1);
        assertThat(deleted).isEqualTo(204);
        assertThat(afterDelete).isEqualTo(404);
        assertThat(accepted.path("pid").asLong()).isPositive();
        assertThat(capturedBytes.statusCode()).isEqualTo(200);
        assertThat(sha256(capturedBytes.body())).isEqualTo(captureShaInApp);
        assertThat(captureDeleted).isEqualTo(204);
        // While the app lives, the delete removes the file from its /tmp.
        assertThatThrownBy(() -> shaInContainer(secondRun, "/tmp/" + captureName))
                .isInstanceOf(IllegalStateException.class);
        assertThat(metric("dumpflow_sidecar_dumps_held")).isZero();
        assertThat(metric("dumpflow_sidecar_dumps_unreachable_total")).isZero();
        assertThat(metric("dumpflow_sidecar_process_roots_refused_total")).isZero();
    }

    /**
     * The Deployment of knative/example-no-volume/, rendered without kubectl (which fresh CI
     * machines lack) as ExampleWithoutVolumeManifestTest checks kubectl kustomize renders it.
     */
    private static PodSpec renderedOverlay() {
        return Kustomization.render(REPOSITORY.resolve("knative/example-no-volume"))
                .ofType(Deployment.class)
                .getFirst()
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    /** POST /captures until the sidecar knows the JVM as one it can attach to. */
    private JsonNode requestCapture(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://" + pod.ip() + ":8787/captures"))
                                    .header("Authorization", "Bearer " + adminToken)
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 202) {
                return JSON.readTree(answer.body());
            }
            last = answer.statusCode() + " " + answer.body();
            Thread.sleep(1_000);
        }
        throw new AssertionError("no capture accepted within " + timeout + ": " + last);
    }

    /** The SHA-256 of a file as the container holds it, copied out with podman cp. */
    private String shaInContainer(String container, String path) throws Exception {
        Path copy = work.resolve(container + "-" + UUID.randomUUID());
        Podman.run("cp", container + ":" + path, copy.toString());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(copy)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private HttpResponse<byte[]> fetch(String method, JsonNode closed, String range)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(closed.at("/fetch/url").asText()))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + closed.at("/fetch/token").asText());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private long metric(String name) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://" + pod.ip() + ":8787/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in\n" + text));
    }

    private static boolean isDumpClosed(SinkTap.Arrival a, String cause) {
        return "dev.dumpflow.dump.closed".equals(a.type())
                && cause.equals(a.data().path("cause").asText());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private String container(String name) {
        containers.add(name);
        return name;
    }
}
