package dev.dumpflow.functions.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.functions.e2e.BrokerProcess;
import dev.dumpflow.functions.e2e.ChildProcess;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.s3.S3ProxyProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline as separate real processes on loopback (S3Proxy, the local broker, the
 * functions, the sidecar, and JVMs whose heap dumps it watches for) while 20 dumps are produced:
 * the broker is stopped for 10 s, then S3 for 8 s, then the functions are SIGKILLed once in the
 * middle of a multipart upload. Every dump must end as one object, one index record and one
 * notification.
 */
class ChaosRunIT {

    private static final String ACCESS_KEY = "chaos-access-key";
    private static final String SECRET_KEY = "chaos-secret-key";

    private static final int DUMPS = 20;
    private static final Duration PACE = Duration.ofSeconds(3);
    private static final Duration BROKER_DOWN = Duration.ofSeconds(10);
    private static final Duration S3_DOWN = Duration.ofSeconds(8);
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(200);
    private static final String REANNOUNCE_AFTER = "30s";
    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final String BUCKET = "dumpflow-chaos";
    private static final Path SIDECAR_JAR =
            Path.of("../sidecar-emitter/target/dumpflow-sidecar.jar");
    private static final Path SIDECAR_OPTIONS = Path.of("../sidecar-emitter/jvm.options");
    private static final Path LOGS = Path.of("target/chaos-run");

    private final List<AutoCloseable> started = new ArrayList<>();
    private S3ProxyProcess s3proxy;
    private BrokerProcess broker;
    private PackagedApp functions;
    private ChildProcess sidecar;
    private int sidecarPort;
    private SlackRecorder slack;

    @AfterEach
    void stopAndKeepLogs() throws Exception {
        Files.createDirectories(LOGS);
        if (sidecar != null) {
            Files.writeString(LOGS.resolve("sidecar.log"), sidecar.output());
        }
        if (broker != null) {
            Files.writeString(LOGS.resolve("broker.log"), broker.output());
        }
        if (functions != null) {
            Files.writeString(LOGS.resolve("functions.log"), functions.output());
        }
        Collections.reverse(started);
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void twentyDumpsSurviveABrokerOutageAnS3OutageAndAKilledFunction() throws Exception {
        if (!Files.isRegularFile(SIDECAR_JAR)) {
            throw new IllegalStateException(
                    SIDECAR_JAR.toAbsolutePath().normalize()
                            + " is missing: build it with"
                            + " ./mvnw -B -o -pl sidecar-emitter,functions -am verify");
        }
        Path work = Files.createTempDirectory("dumpflow-chaos");
        Path watched = Files.createDirectories(work.resolve("dumps"));
        Path staging = Files.createDirectories(work.resolve("staging"));
        Path s3data = Files.createDirectories(work.resolve("s3"));

        s3proxy = S3ProxyProcess.filesystem(freePort(), s3data, work, ACCESS_KEY, SECRET_KEY);
        started.add(s3proxy);
        S3Client s3 = s3Client(s3proxy.endpoint());
        started.add(s3);
        s3.createBucket(b -> b.bucket(BUCKET));
        slack = new SlackRecorder();
        started.add(slack);

        int functionsPort = freePort();
        int brokerPort = freePort();
        Map<String, String> common = appConfig(s3proxy.endpoint(), slack.webhookUrl());
        Map<String, String> functionsConfig = new HashMap<>(common);
        // The AWS SDK logs each request it sends: an UploadPart names its partNumber.
        functionsConfig.put(
                "quarkus.log.category.\"software.amazon.awssdk.request\".level", "DEBUG");
        // What the SinkBinding gives the functions: the Broker, where dead letters report to.
        functionsConfig.put("K_SINK", "http://127.0.0.1:" + brokerPort + BrokerProcess.BROKER_PATH);
        functions = PackagedApp.start("functions", functionsPort, functionsConfig);
        started.add(functions);
        // The local stack's broker as its own process. Its journal is kept across its restart, as
        // Knative's Kafka broker keeps its topic.
        broker =
                BrokerProcess.start(
                        "127.0.0.1",
                        brokerPort,
                        functions.baseUrl(),
                        Optional.of(work.resolve("broker-journal")));
        started.add(broker);

        sidecarPort = freePort();
        sidecar =
                ChildProcess.start(
                        "sidecar",
                        List.of(
                                ChildProcess.java().toString(),
                                "@" + SIDECAR_OPTIONS,
                                "-jar",
                                SIDECAR_JAR.toString()),
                        sidecarEnv(watched, work),
                        "sidecar started");
        started.add(sidecar);

        long begin = System.nanoTime();
        List<DumpProducer.Produced> produced = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> production =
                CompletableFuture.runAsync(
                        () -> produce(new DumpProducer(watched, staging), produced, begin));
        List<String> faults = new ArrayList<>();
        Timeline timeline = new Timeline(begin);

        awaitProduced(produced, 2, production);
        timeline.mark("broker SIGTERM");
        broker.stop();
        Thread.sleep(BROKER_DOWN);
        broker.start();
        faults.add("broker down " + timeline.since("broker SIGTERM") + " s");
        timeline.mark("broker listening again");

        awaitProduced(produced, 8, production);
        timeline.mark("S3Proxy SIGTERM");
        s3proxy.stop();
        Thread.sleep(S3_DOWN);
        s3proxy.start();
        faults.add("S3 down " + timeline.since("S3Proxy SIGTERM") + " s");
        timeline.mark("S3Proxy listening again");

        awaitProduced(produced, 11, production);
        ChildProcess running = functions.process();
        running.awaitOutput(running.lineCount(), "partNumber", Duration.ofSeconds(90));
        timeline.mark("functions SIGKILL during an UploadPart");
        functions.kill();
        functions.start();
        faults.add(
                "functions SIGKILLed during an UploadPart, down "
                        + timeline.since("functions SIGKILL during an UploadPart")
                        + " s");
        timeline.mark("functions listening again");

        production.get(5, TimeUnit.MINUTES);
        timeline.mark("all dumps produced");
        Set<String> producedSha =
                produced.stream().map(DumpProducer.Produced::sha256).collect(Collectors.toSet());
        Census census = settle(s3, producedSha, watched);
        timeline.mark("census");
        double seconds = (System.nanoTime() - begin) / 1e9;
        long announced = sidecarMetric("dumpflow_sidecar_announcements_total");
        long delivered =
                sidecarMetric(
                        "dumpflow_sidecar_events_delivered_total{type=\"dev.dumpflow.dump.closed\"}");
        long lostEvents = sidecarMetric("dumpflow_sidecar_events_lost_total");
        String figures =
                ("FIGURES chaos-run: dumps produced %d (%d MB), faults injected %d (%s), events sent"
                                + " by the sidecar %d announcements / %d delivered, objects %d,"
                                + " index records %d, notifications %d (NOT-saved %d), duplicates"
                                + " %d, stored %d, lost %d, left on the sidecar %d, events lost"
                                + " by the sidecar %d, duration %.0f s")
                        .formatted(
                                produced.size(),
                                produced.stream().mapToLong(DumpProducer.Produced::bytes).sum()
                                        / 1_000_000,
                                faults.size(),
                                String.join(", ", faults),
                                announced,
                                delivered,
                                census.objects(),
                                census.indexRecords(),
                                census.notifications(),
                                census.failedNotifications(),
                                census.duplicates(),
                                census.stored(),
                                census.lost(),
                                leftOnSidecar(watched),
                                lostEvents,
                                seconds);
        System.out.println(figures);
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve("figures.txt"), figures + "\n" + timeline + "\n");
        System.out.println(timeline);

        assertThat(produced).as(figures).hasSize(DUMPS);
        assertThat(census.objects()).as(figures).isEqualTo(DUMPS);
        assertThat(census.indexRecords()).as(figures).isEqualTo(DUMPS);
        assertThat(census.notifications()).as(figures).isEqualTo(DUMPS);
        assertThat(census.duplicates()).as(figures).isZero();
        assertThat(census.lost()).as(figures).isZero();
    }

    /** Produces the dumps one every {@link #PACE}, counted from {@code begin}. */
    private static void produce(
            DumpProducer producer, List<DumpProducer.Produced> produced, long begin) {
        try {
            for (int i = 0; i < DUMPS; i++) {
                long due = begin + PACE.toNanos() * i;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                produced.add(producer.produce());
            }
        } catch (Exception e) {
            throw new IllegalStateException("dump " + (produced.size() + 1) + " not produced", e);
        }
    }

    private static void awaitProduced(
            List<DumpProducer.Produced> produced, int count, CompletableFuture<Void> production)
            throws Exception {
        while (produced.size() < count) {
            if (production.isDone()) {
                production.get();
                return;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until every dump is stored, indexed and notified and the sidecar holds no file, then
     * for the counts to stay the same for {@link #QUIET}, so that late duplicates show; bounded.
     */
    private Census settle(S3Client s3, Set<String> producedSha, Path watched) throws Exception {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        Census last = Census.take(s3, BUCKET, slack.posts(), producedSha);
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            Census now = Census.take(s3, BUCKET, slack.posts(), producedSha);
            if (!now.equals(last)) {
                System.out.println("CENSUS " + now);
                last = now;
                quietSince = System.nanoTime();
            } else if (now.complete(producedSha.size())
                    && leftOnSidecar(watched) == 0
                    && System.nanoTime() - quietSince > QUIET.toNanos()) {
                return now;
            }
        }
        return last;
    }

    private static long leftOnSidecar(Path watched) throws IOException {
        try (Stream<Path> files = Files.list(watched)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".hprof")).count();
        }
    }

    /** One unlabelled or fully labelled sample from the sidecar's {@code GET /metrics}. */
    private long sidecarMetric(String sample) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + sidecarPort
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            return body.lines()
                    .filter(line -> line.startsWith(sample + " "))
                    .mapToLong(line -> Long.parseLong(line.substring(sample.length() + 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(sample + " not in /metrics:\n" + body));
        }
    }

    private Map<String, String> sidecarEnv(Path watched, Path work) {
        Map<String, String> env = new HashMap<>();
        env.put("K_SINK", broker.ingress().toString());
        env.put("DUMPFLOW_DUMP_DIRS", watched.toString());
        env.put("DUMPFLOW_OUTBOX_DIR", work.resolve("outbox").toString());
        // Well within the run, so that a dump whose event was lost is announced again in time.
        env.put("DUMPFLOW_REANNOUNCE_AFTER", REANNOUNCE_AFTER);
        env.put("DUMPFLOW_PORT", Integer.toString(sidecarPort));
        env.put("DUMPFLOW_ADVERTISE_HOST", "127.0.0.1");
        // Matches no process: the memory watch announces no threshold.
        env.put("DUMPFLOW_PROCESS_MATCH", "^dumpflow-chaos-matches-no-process$");
        env.put("POD_NAMESPACE", "shop");
        env.put("POD_NAME", "checkout-chaos-0");
        env.put("POD_UID", "5f0c8a1e-c4a0-4d6a-9c1b-000000000008");
        env.put("CONTAINER_NAME", "app");
        return env;
    }

    private static Map<String, String> appConfig(String s3Endpoint, String webhook) {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.s3.endpoint-override", s3Endpoint);
        config.put("quarkus.s3.aws.region", "us-east-1");
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", ACCESS_KEY);
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", SECRET_KEY);
        config.put("quarkus.s3.path-style-access", "true");
        config.put("dumpflow.bucket", BUCKET);
        config.put("dumpflow.upload.part-size", "8M");
        config.put("dumpflow.fetch.allowed-hosts", "127.0.0.0/8,::1,localhost");
        config.put("dumpflow.kubernetes.enabled", "false");
        config.put("dumpflow.notify.slack.webhook-url", webhook);
        return config;
    }

    private static S3Client s3Client(String endpoint) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
