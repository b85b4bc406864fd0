package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.notify.SlackRecorder;
import dev.dumpflow.functions.s3.S3ProxyResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two replicas of the functions (two packaged jars, two JVMs, nothing shared but one S3Proxy, one
 * SMTP server and one Slack webhook) each get three copies of the same event at the same time, at
 * every step: {@code dump.closed}, then {@code dump.archived}, then {@code dump.indexed}. The
 * result is one object, one index record, one Slack post and one e-mail.
 *
 * <p>The test answers for the Broker: a copy answered with a retryable status (5xx) is delivered
 * again after a second, as the Knative delivery spec would.
 */
class ReplicasEndToEndIT {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final int COPIES_PER_REPLICA = 3;
    private static final int MAX_DELIVERIES = 10;
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static S3ProxyResource s3proxy;
    private static GreenMail greenMail;
    private static SlackRecorder slack;
    private static SidecarStandIn sidecar;
    private static final List<PackagedFunction> replicas = new ArrayList<>();
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = new S3ProxyResource();
        Map<String, String> config = new HashMap<>(s3proxy.start());
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        greenMail.start();
        config.putAll(
                Map.of(
                        "quarkus.mailer.mock", "false",
                        "quarkus.mailer.host", "127.0.0.1",
                        "quarkus.mailer.port", String.valueOf(greenMail.getSmtp().getPort()),
                        "quarkus.mailer.from", "dumpflow@example.test",
                        "quarkus.mailer.start-tls", "DISABLED",
                        "quarkus.mailer.tls", "false",
                        "dumpflow.notify.email.to", "oncall@example.test"));
        slack = new SlackRecorder();
        config.put("dumpflow.notify.slack.webhook-url", slack.webhookUrl());
        sidecar = SidecarStandIn.start();
        for (int i = 0; i < 2; i++) {
            replicas.add(PackagedFunction.start("256m", config));
        }
        s3 =
                S3Client.builder()
                        .endpointOverride(URI.create(s3proxy.endpoint()))
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                S3ProxyResource.ACCESS_KEY,
                                                S3ProxyResource.SECRET_KEY)))
                        .httpClient(ApacheHttpClient.create())
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (PackagedFunction replica : replicas) {
            replica.close();
        }
        if (sidecar != null) {
            sidecar.close();
        }
        if (slack != null) {
            slack.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.stop();
        }
    }

    @Test
    void threeConcurrentCopiesOnEachOfTwoReplicasGiveOneObjectOneRecordAndOneMessagePerChannel()
            throws Exception {
        DumpContent content = DumpContent.generated(40L << 20, 7);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, content);
        DumpClosed closed =
                ArchiveRequests.closed(
                        dumpId, content.size(), sidecar.url(dumpId), ArchiveRequests.TOKEN);
        try {
            List<HttpResponse<String>> archived =
                    deliverToEveryReplica(
                            EventTypes.DUMP_CLOSED,
                            "/namespaces/shop/pods/checkout/containers/app",
                            UUID.randomUUID().toString(),
                            copies(MAPPER.writeValueAsString(closed)));
            String expectedSha = DumpContent.sha256(content.open(0));
            for (HttpResponse<String> reply : archived) {
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                assertThat(MAPPER.readTree(reply.body()).get("sha256").asText())
                        .isEqualTo(expectedSha);
            }
            assertThat(objects(StorageLayout.DUMPS_PREFIX)).hasSize(1);
            assertThat(ArchiveRequests.uploads(s3, BUCKET)).as("multipart uploads left").isEmpty();
            assertThat(sidecar.holds(dumpId)).as("the sidecar's copy was deleted").isFalse();

            // Copies of the reply: the same id, though their data may differ (a copy that found
            // the dump stored replies from the object's metadata).
            String archivedId = archived.getFirst().headers().firstValue("ce-id").orElseThrow();
            List<HttpResponse<String>> indexed =
                    deliverToEveryReplica(
                            EventTypes.DUMP_ARCHIVED,
                            "/dumpflow/archive",
                            archivedId,
                            archived.stream().map(HttpResponse::body).toList());
            JsonNode first = MAPPER.readTree(indexed.getFirst().body());
            for (HttpResponse<String> reply : indexed) {
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                assertThat(MAPPER.readTree(reply.body()).get("record"))
                        .as("every copy replies with the one stored record")
                        .isEqualTo(first.get("record"));
            }
            List<S3Object> records =
                    objects(StorageLayout.INDEX_PREFIX).stream()
                            .filter(o -> !o.key().startsWith(StorageLayout.MARKERS_PREFIX))
                            .filter(o -> !o.key().startsWith(StorageLayout.BY_ID_PREFIX))
                            .toList();
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().key()).isEqualTo(first.get("indexKey").asText());

            String indexedId = indexed.getFirst().headers().firstValue("ce-id").orElseThrow();
            List<HttpResponse<String>> notified =
                    deliverToEveryReplica(
                            EventTypes.DUMP_INDEXED,
                            "/dumpflow/index",
                            indexedId,
                            copies(indexed.getFirst().body()));
            for (HttpResponse<String> reply : notified) {
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(204);
            }
            assertThat(slack.posts()).filteredOn(p -> p.body().contains(dumpId)).hasSize(1);
            assertThat(greenMail.getReceivedMessages()).hasSize(1);
        } catch (Throwable failed) {
            for (PackagedFunction replica : replicas) {
                System.err.println("replica log:\n" + replica.log());
            }
            throw failed;
        }
    }

    private static List<String> copies(String body) {
        return java.util.Collections.nCopies(COPIES_PER_REPLICA * 2, body);
    }

    /**
     * Copies of one event (same id, the given data each) to both replicas at once, alternately,
     * each delivered until its answer is not retryable.
     */
    private static List<HttpResponse<String>> deliverToEveryReplica(
            String type, String source, String id, List<String> bodies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(COPIES_PER_REPLICA * 2);
        try {
            List<Future<HttpResponse<String>>> copies = new ArrayList<>();
            for (int i = 0; i < COPIES_PER_REPLICA * 2; i++) {
                PackagedFunction replica = replicas.get(i % 2);
                String body = bodies.get(i);
                copies.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return deliverOnce(replica, type, source, id, body);
                                }));
            }
            start.countDown();
            List<HttpResponse<String>> replies = new ArrayList<>();
            for (Future<HttpResponse<String>> copy : copies) {
                replies.add(copy.get(5, TimeUnit.MINUTES));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Delivers as a Broker would: again after a retryable answer, a bounded number of times. */
    private static HttpResponse<String> deliverOnce(
            PackagedFunction replica, String type, String source, String id, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(replica.uri())
                        .timeout(Duration.ofMinutes(2))
                        .header("ce-id", id)
                        .header("ce-specversion", "1.0")
                        .header("ce-type", type)
                        .header("ce-source", source)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = null;
            for (int attempt = 1; attempt <= MAX_DELIVERIES; attempt++) {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    return response;
                }
                Thread.sleep(1000);
            }
            return response;
        }
    }

    private static List<S3Object> objects(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .toList();
    }
}
