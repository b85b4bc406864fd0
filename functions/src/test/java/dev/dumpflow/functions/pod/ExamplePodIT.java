package dev.dumpflow.functions.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.dumpflow.functions.e2e.BrokerProcess;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.s3.S3ProxyProcess;
import dev.dumpflow.localstack.broker.KnativeManifests;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The example pod of knative/example/ as containers, in podman, with the images ./dumpflow images
 * builds, through a real OOM kill: the app JVM and the sidecar share a process namespace and a
 * dumps volume; the functions run from their image on the same container network; the local stack's
 * broker (routing by knative/), S3Proxy and a Slack recorder run on the host's end of it.
 *
 * <p>The scenario changes the manifest only where it must: the app's memory limit is 1536 MiB and
 * its first run, leaking 40 MiB/s, may grow its heap past it (-Xmx2g), so the kernel, not the JVM,
 * ends it. The sidecar polls every second with one threshold, 50%: the JDK merges a parallel heap
 * dump's segments while the app runs on, so the capture needs the 19 s the leak takes from there to
 * the limit, even on a loaded CI machine. The second run (-Xmx1100m) dies of its own
 * OutOfMemoryError with a dump over 1 GiB, so close to event is measured on a dump of that size.
 */
class ExamplePodIT {

    private static final Path REPOSITORY = Podman.REPOSITORY;
    private static final Path LOGS = Path.of("target/example-pod");
    private static final String NAMESPACE = "dumpflow";
    private static final String BUCKET = "dumpflow-pod";
    private static final String APP_LIMIT = "1536Mi";
    private static final long SIDECAR_PEAK_RSS_LIMIT = 48L << 20;
    private static final Map<String, String> IMAGES =
            Map.of(
                    "dumpflow/sidecar", Podman.image("sidecar"),
                    "dumpflow/example-app", Podman.image("example-app"),
                    "dumpflow/functions", Podman.image("functions"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS_KEY = "pod-access-key";
    private static final String SECRET_KEY = "pod-secret-key";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;

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
            // Dumps left by a failed run are gigabytes.
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void capturesBeforeTheKernelKillsTheAppAndBothDumpsFlowToTheBucketTheIndexAndSlack()
            throws Exception {
        Podman.requireWorking();
        System.out.println(Podman.buildImages());

        KnativeManifests manifests = KnativeManifests.load(REPOSITORY.resolve("knative"));
        PodSpec spec =
                manifests.ofType(Deployment.class).stream()
                        .filter(d -> d.getMetadata().getName().equals("example-jvm-app"))
                        .findFirst()
                        .orElseThrow()
                        .getSpec()
                        .getTemplate()
                        .getSpec();
        Container sidecarSpec = spec.getInitContainers().getFirst();
        Container appSpec = spec.getContainers().getFirst();
        appSpec.getResources().getLimits().put("memory", new Quantity(APP_LIMIT));

        work = Files.createTempDirectory("dumpflow-pod");
        String podName = "example-jvm-app-" + Long.toHexString(System.nanoTime());
        PodmanPod pod = PodmanPod.create(podName, NAMESPACE, spec, IMAGES, work);
        started.add(pod);
        // The pod network exists now: the host's end of it is where the host's servers listen.
        String gateway =
                Podman.run(
                        "network",
                        "inspect",
                        "--format",
                        "{{range .Subnets}}{{.Gateway}}{{end}}",
                        "podman");
        String subnet =
                Podman.run(
                        "network",
                        "inspect",
                        "--format",
                        "{{range .Subnets}}{{.Subnet}}{{end}}",
                        "podman");
        InetAddress host = InetAddress.getByName(gateway);

        S3ProxyProcess s3proxy =
                S3ProxyProcess.filesystem(
                        gateway,
                        Endpoints.freePort(host),
                        Files.createDirectories(work.resolve("s3")),
                        work,
                        ACCESS_KEY,
                        SECRET_KEY);
        started.add(s3proxy);
        S3Client s3 = s3proxy.client();
        started.add(s3);
        s3.createBucket(b -> b.bucket(BUCKET));
        SlackRecorder slack = new SlackRecorder(host);
        started.add(slack);

        // The local stack's broker runs on the host as its own process, at the host's end of the
        // pod network; the functions know it as K_SINK, as a SinkBinding would tell them.
        int brokerPort = Endpoints.freePort(host);
        URI brokerIngress =
                URI.create("http://" + gateway + ":" + brokerPort + BrokerProcess.BROKER_PATH);
        String functions =
                startFunctions(manifests, podName, s3proxy, slack, subnet, brokerIngress);
        String functionsIp = Podman.inspect(functions, "{{.NetworkSettings.IPAddress}}");
        Endpoints.awaitOk(
                http,
                URI.create("http://" + functionsIp + ":8080/q/health/ready"),
                Duration.ofSeconds(90));
        BrokerProcess broker =
                BrokerProcess.start(
                        gateway, brokerPort, "http://" + functionsIp + ":8080", Optional.empty());
        started.add(broker);

        SinkTap sink = new SinkTap(host, broker.ingress(), pod.hostDirectory("dumps"));
        started.add(sink);
        // What the SinkBinding injects, and the scenario's polling and threshold.
        ContainerEnv.set(sidecarSpec, "K_SINK", sink.url().toString());
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_POLL_INTERVAL", "1s");
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_THRESHOLDS", "50%");
        // One capture per program: the restarted app crosses 50% too, and its own dump is the
        // point.
        ContainerEnv.set(sidecarSpec, "DUMPFLOW_CAPTURE_LIMIT", "1/1h");
        String sidecar = container(pod.start(sidecarSpec.getName(), podName + "-sidecar"));
        Endpoints.awaitOk(
                http, URI.create("http://" + pod.ip() + ":8787/healthz"), Duration.ofSeconds(30));
        ContainerMemory sidecarMemory =
                ContainerMemory.watch(Long.parseLong(Podman.inspect(sidecar, "{{.State.Pid}}")));
        started.add(sidecarMemory);

        // (a) The heap may outgrow the limit: the threshold captures, then the kernel kills.
        String manifestOptions = ContainerEnv.get(appSpec, "JAVA_TOOL_OPTIONS");
        ContainerEnv.set(
                appSpec,
                "JAVA_TOOL_OPTIONS",
                manifestOptions.replaceAll("-XX:MaxRAMPercentage=\\S+", "-Xmx2g"));
        appSpec.setArgs(List.of("25"));
        String firstRun = container(pod.start(appSpec.getName(), podName + "-app-1"));
        SinkTap.Arrival crossed =
                sink.await(
                        a -> a.type().equals("dev.dumpflow.memory.threshold.crossed"),
                        Duration.ofMinutes(3),
                        "threshold event");
        SinkTap.Arrival captured =
                sink.await(
                        a -> isDumpClosed(a, "threshold"),
                        Duration.ofMinutes(3),
                        "dump.closed of the capture");
        int firstExit = exitCode(firstRun, Duration.ofMinutes(3));
        Instant killedAt =
                Instant.parse(
                        Podman.inspect(
                                firstRun,
                                "{{.State.FinishedAt.Format \"2006-01-02T15:04:05.999999999Z07:00\"}}"));
        String killEvidence = kernelOomKill(firstRun);

        // (d) The restarted app, its heap now below the limit, dies of its own OutOfMemoryError.
        ContainerEnv.set(
                appSpec,
                "JAVA_TOOL_OPTIONS",
                manifestOptions.replaceAll("-XX:MaxRAMPercentage=\\S+", "-Xmx1100m"));
        String secondRun = container(pod.start(appSpec.getName(), podName + "-app-2"));
        SinkTap.Arrival ownDump =
                sink.await(
                        a -> isDumpClosed(a, "oom"),
                        Duration.ofMinutes(3),
                        "dump.closed of the JVM's own OOM dump");
        int secondExit = exitCode(secondRun, Duration.ofMinutes(3));

        // (b) Each dump: the same bytes in the bucket, an index record, a Slack message.
        Flow first = awaitFlow(s3, slack, captured, Duration.ofMinutes(4));
        Flow second = awaitFlow(s3, slack, ownDump, Duration.ofMinutes(4));

        // (c) The sidecar outlived the kill, inside its own limit.
        String sidecarState =
                Podman.inspect(sidecar, "{{.State.Status}} {{.State.OOMKilled}} {{.RestartCount}}");
        ContainerMemory.Peaks peaks = sidecarMemory.peaks();
        String figures =
                """
                FIGURES example-pod:
                  threshold crossed at RSS %s of limit %s; capture announced %s before the kernel's kill
                  first run: exit %d, %s
                  second run: exit %d (Java heap OutOfMemoryError)
                  capture:  %s
                  own dump: %s
                  sidecar: %s; %s\
                """
                        .formatted(
                                crossed.data().path("rssBytes").asLong(),
                                crossed.data().path("limitBytes").asLong(),
                                Duration.between(captured.at(), killedAt),
                                firstExit,
                                killEvidence,
                                secondExit,
                                first.describe(),
                                second.describe(),
                                sidecarState,
                                peaks.describe());
        System.out.println(figures);
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve("figures.txt"), figures + "\n");

        assertThat(captured.at()).as(figures).isBefore(killedAt);
        assertThat(captured.data().path("format").asText()).isEqualTo("hprof");
        assertThat(firstExit).as(figures).isEqualTo(137);
        assertThat(killEvidence).as(figures).isNotEmpty();
        assertThat(secondExit).as(figures).isNotZero().isNotEqualTo(137);
        assertThat(second.file().size()).as(figures).isGreaterThanOrEqualTo(1L << 30);
        for (Flow flow : List.of(first, second)) {
            assertThat(flow.storedSha256()).as(figures).isEqualTo(flow.file().sha256());
            assertThat(flow.topClasses()).as(figures).contains("LeakingApp$CachedSession");
            assertThat(flow.slackPost()).contains(flow.dumpId());
        }
        assertThat(sidecarState).as(figures).isEqualTo("running false 0");
        // Page cache is reclaimed at the limit, so the charge that could kill is anonymous memory
        // and tmpfs: it must leave a quarter of the limit free.
        assertThat(peaks.anon() + peaks.shmem()).as(figures).isLessThan(peaks.limit() * 3 / 4);
        assertThat(peaks.vmHwm()).as(figures).isLessThanOrEqualTo(SIDECAR_PEAK_RSS_LIMIT);
    }

    /** What became of one announced dump. */
    record Flow(
            String dumpId,
            SinkTap.DumpFile file,
            Duration closeToEvent,
            String key,
            long storedBytes,
            String storedSha256,
            String indexKey,
            List<String> topClasses,
            String slackPost) {

        String describe() {
            return "%s, %,d bytes, close to event %d ms, stored %s (%,d bytes), index %s"
                    .formatted(
                            dumpId,
                            file.size(),
                            closeToEvent.toMillis(),
                            key,
                            storedBytes,
                            indexKey);
        }
    }

    private Flow awaitFlow(
            S3Client s3, SlackRecorder slack, SinkTap.Arrival closed, Duration timeout)
            throws Exception {
        String dumpId = closed.data().path("dumpId").asText();
        SinkTap.DumpFile file =
                closed.file()
                        .orElseThrow(() -> new AssertionError("the tap could not read " + closed));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<S3Object> object = find(s3, "dumps/", dumpId);
            Optional<S3Object> record = find(s3, "index/namespace=", dumpId);
            Optional<String> post =
                    slack.posts().stream()
                            .map(SlackRecorder.Post::body)
                            .filter(b -> b.contains(dumpId))
                            .findFirst();
            if (object.isPresent() && record.isPresent() && post.isPresent()) {
                JsonNode index;
                try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key(record.get().key()))) {
                    index = JSON.readTree(in);
                }
                List<String> classes = new ArrayList<>();
                index.path("analysis")
                        .path("topClasses")
                        .forEach(c -> classes.add(c.path("className").asText()));
                return new Flow(
                        dumpId,
                        file,
                        Duration.between(file.lastModified(), closed.at()),
                        object.get().key(),
                        object.get().size(),
                        decompressedSha256(s3, object.get().key()),
                        record.get().key(),
                        classes,
                        post.get());
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "dump "
                        + dumpId
                        + " did not reach the bucket, the index and Slack within "
                        + timeout);
    }

    private static Optional<S3Object> find(S3Client s3, String prefix, String dumpId) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .filter(o -> o.key().contains(dumpId))
                .findFirst();
    }

    private static String decompressedSha256(S3Client s3, String key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new ZstdInputStream(s3.getObject(b -> b.bucket(BUCKET).key(key)))) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static boolean isDumpClosed(SinkTap.Arrival a, String cause) {
        return a.type().equals("dev.dumpflow.dump.closed")
                && a.data().path("cause").asText().equals(cause);
    }

    private String startFunctions(
            KnativeManifests manifests,
            String podName,
            S3ProxyProcess s3proxy,
            SlackRecorder slack,
            String subnet,
            URI brokerIngress)
            throws Exception {
        io.fabric8.knative.serving.v1.Service service =
                manifests.ofType(io.fabric8.knative.serving.v1.Service.class).getFirst();
        Container spec = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
        long limit =
                Quantity.getAmountInBytes(spec.getResources().getLimits().get("memory"))
                        .longValueExact();
        String name = podName + "-functions";
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "run",
                                "--detach",
                                "--name",
                                name,
                                "--memory",
                                limit + "b",
                                "--cap-drop",
                                "ALL",
                                "--security-opt",
                                "no-new-privileges"));
        Map<String, String> env =
                Map.ofEntries(
                        Map.entry("DUMPFLOW_BUCKET", BUCKET),
                        Map.entry("QUARKUS_S3_ENDPOINT_OVERRIDE", s3proxy.endpoint()),
                        Map.entry("QUARKUS_S3_PATH_STYLE_ACCESS", "true"),
                        Map.entry("QUARKUS_S3_AWS_REGION", "us-east-1"),
                        Map.entry("QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static"),
                        Map.entry(
                                "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID",
                                ACCESS_KEY),
                        Map.entry(
                                "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY",
                                SECRET_KEY),
                        Map.entry("DUMPFLOW_FETCH_ALLOWED_HOSTS", subnet),
                        Map.entry("DUMPFLOW_KUBERNETES_ENABLED", "false"),
                        Map.entry("DUMPFLOW_NOTIFY_SLACK_WEBHOOK_URL", slack.webhookUrl()),
                        Map.entry("K_SINK", brokerIngress.toString()));
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        args.add(IMAGES.get(spec.getImage()));
        Podman.run(args.toArray(String[]::new));
        started.add(() -> Podman.run("rm", "--force", "--time", "5", name));
        return container(name);
    }

    /**
     * The kernel's own record of killing the container's process for its memory cgroup's limit:
     * podman's OOMKilled when its conmon reports it (not on these hosts: conmon 2.1.6 writes its
     * marker where podman 4.3 does not look), else the kernel log line naming the container's
     * cgroup; empty when neither shows a kill.
     */
    private static String kernelOomKill(String container) throws Exception {
        if (Podman.inspect(container, "{{.State.OOMKilled}}").equals("true")) {
            return "OOMKilled in podman inspect";
        }
        String id = Podman.inspect(container, "{{.Id}}");
        Process dmesg = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        String log = new String(dmesg.getInputStream().readAllBytes());
        dmesg.waitFor();
        return log.lines()
                .filter(l -> l.contains("oom-kill:") && l.contains("oom_memcg=") && l.contains(id))
                .findFirst()
                .map(
                        l ->
                                "the kernel's OOM kill in the container's memory cgroup (dmesg: "
                                        + l.substring(
                                                l.indexOf("oom-kill:"),
                                                Math.min(l.length(), l.indexOf("oom-kill:") + 60))
                                        + "...)")
                .orElse("");
    }

    private static int exitCode(String container, Duration timeout) throws Exception {
        return Integer.parseInt(Podman.run(timeout, "wait", container));
    }

    private String container(String name) {
        containers.add(name);
        return name;
    }
}
