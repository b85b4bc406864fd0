package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.luben.zstd.ZstdInputStream;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Faults the archive survives, against the packaged function and a real S3 server (S3Proxy behind a
 * relay that fails on demand): S3 throttling or unreachable, the function SIGKILLed in the middle
 * of a multipart upload, and the real sidecar restarted in the middle of a transfer. Each ends with
 * the dump stored exactly once, byte for byte, and never a partial object.
 */
class ArchiveFaultsIT {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static S3ProxyResource s3proxy;
    private static FaultyLink link;
    private static SidecarStandIn sidecar;
    private static PackagedFunction function;
    private static Map<String, String> functionConfig;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = new S3ProxyResource();
        Map<String, String> config = new HashMap<>(s3proxy.start());
        URI endpoint = URI.create(s3proxy.endpoint());
        link = FaultyLink.to(endpoint.getPort());
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + link.port());
        // Bounded waits: the fetch gives a restarting sidecar 20 s, S3 calls give up within 20 s.
        config.put("dumpflow.fetch.timeout", "20s");
        config.put("quarkus.s3.sync-client.connection-timeout", "2s");
        config.put("quarkus.s3.sync-client.socket-timeout", "20s");
        functionConfig = Map.copyOf(config);
        sidecar = SidecarStandIn.start();
        function = PackagedFunction.start("256m", config);
        s3 = s3proxy.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        if (sidecar != null) {
            sidecar.close();
        }
        if (link != null) {
            link.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.stop();
        }
    }

    @Test
    @Timeout(120)
    void s3AnsweringSlowDownKeepsTheDumpOnTheSidecarAndARetryStoresItOnce() throws Exception {
        DumpClosed closed = served(40_000_000, 21);
        link.slowDown();
        HttpResponse<String> refused;
        try {
            refused = post(function, closed);
        } finally {
            link.heal();
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(link.slowedDown()).isPositive();
        assertStaysOnTheSidecar(closed);

        assertStoredOnceAfterARetry(closed);
    }

    @Test
    @Timeout(120)
    void s3UnreachableKeepsTheDumpOnTheSidecarAndARetryStoresItOnce() throws Exception {
        DumpClosed closed = served(40_000_000, 22);
        link.refuse();
        HttpResponse<String> refused;
        try {
            refused = post(function, closed);
        } finally {
            link.heal();
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertStaysOnTheSidecar(closed);

        assertStoredOnceAfterARetry(closed);
    }

    @Test
    @Timeout(120)
    void functionKilledMidUploadLeavesNoPartialObjectAndARetryCompletes() throws Exception {
        DumpClosed closed = served(300_000_000, 23);
        String key = ArchiveRequests.key(closed);
        try (PackagedFunction doomed = PackagedFunction.start("256m", functionConfig)) {
            long before = link.upstreamBytes();
            CompletableFuture<HttpResponse<String>> cut = postAsync(doomed, closed);
            awaitPartsOf(key, before);
            doomed.kill();
            assertThat(cut).failsWithin(Duration.ofSeconds(10));
        }

        assertThat(objects(closed.dumpId())).as("no partial object is visible").isEmpty();
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(sidecar.requests()).doesNotContain("DELETE /dumps/" + closed.dumpId());
        List<MultipartUpload> orphans = uploads(key);
        assertThat(orphans)
                .as("the killed function's upload, left to the lifecycle rule")
                .hasSize(1);

        assertStoredOnceAfterARetry(closed);
        // The retry does not touch the orphan: the bucket's lifecycle rule aborts it
        // (abort_incomplete_multipart_upload_days), and it never becomes an object.
        assertThat(uploads(key))
                .extracting(MultipartUpload::uploadId)
                .containsExactly(orphans.getFirst().uploadId());
    }

    @Test
    @Timeout(120)
    void sidecarRestartedMidTransferResumesWithRangeIntoOneIdenticalObject() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target"), "faults-sidecar");
        try (RealSidecar real = RealSidecar.in(root, MAPPER)) {
            real.start();
            DumpContent content = DumpContent.generated(600_000_000, 24);
            Path partial = DumpContent.write(content, real.dumps().resolve("java_pid77.hprof.tmp"));
            Files.move(partial, real.dumps().resolve("java_pid77.hprof"));
            DumpClosed closed =
                    MAPPER.treeToValue(real.nextClosed(Duration.ofSeconds(30)), DumpClosed.class);

            CompletableFuture<HttpResponse<String>> response = postAsync(function, closed);
            awaitServed(real, 256L << 20);
            real.kill();
            Thread.sleep(1_000); // connections are refused meanwhile
            real.start();
            HttpResponse<String> archived = response.get();

            assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
            // The restarted sidecar served only the rest: the archive resumed with Range (the
            // margin covers what was still in socket buffers when the first one died).
            assertThat(real.metric("dumpflow_sidecar_bytes_served_total"))
                    .isPositive()
                    .isLessThan(content.size() - (128L << 20));
            assertThat(function.log()).doesNotContain(closed.fetch().token());
            JsonNode reply = MAPPER.readTree(archived.body());
            String sha = DumpContent.sha256(content.open(0));
            assertThat(reply.get("sha256").asText()).isEqualTo(sha);
            assertThat(objects(closed.dumpId())).hasSize(1);
            assertThat(
                            DumpContent.sha256(
                                    new ZstdInputStream(
                                            s3.getObject(
                                                    b ->
                                                            b.bucket(BUCKET)
                                                                    .key(
                                                                            reply.get("key")
                                                                                    .asText())))))
                    .isEqualTo(sha);
            assertThat(real.dumps().resolve("java_pid77.hprof"))
                    .as("deleted on the sidecar once stored")
                    .doesNotExist();
        }
    }

    private static DumpClosed served(long size, long seed) {
        DumpContent content = DumpContent.generated(size, seed);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, content);
        return ArchiveRequests.closed(dumpId, size, sidecar.url(dumpId), ArchiveRequests.TOKEN);
    }

    private static void assertStaysOnTheSidecar(DumpClosed closed) {
        assertThat(sidecar.holds(closed.dumpId())).as("the dump stays on the sidecar").isTrue();
        assertThat(sidecar.requests()).doesNotContain("DELETE /dumps/" + closed.dumpId());
        assertThat(objects(closed.dumpId())).isEmpty();
    }

    private static void assertStoredOnceAfterARetry(DumpClosed closed) throws Exception {
        HttpResponse<String> retried = post(function, closed);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(objects(closed.dumpId())).hasSize(1);
        assertThat(sidecar.holds(closed.dumpId())).as("deleted once stored").isFalse();
        String record =
                s3.getObjectAsBytes(
                                b -> b.bucket(BUCKET).key(StorageLayout.byIdKey(closed.dumpId())))
                        .asUtf8String();
        assertThat(record).contains(MAPPER.readTree(retried.body()).get("sha256").asText());
    }

    /**
     * The dump's objects as a reader of the bucket sees them, under {@code dumps/}. (S3Proxy keeps
     * the parts of an open multipart upload as hidden {@code .mpus-*} objects at the root, where S3
     * shows nothing: those are the upload, listed by {@link #uploads}.)
     */
    private static List<S3Object> objects(String dumpId) {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("dumps/")).contents().stream()
                .filter(o -> o.key().contains(dumpId))
                .toList();
    }

    private static List<MultipartUpload> uploads(String key) {
        return s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                .filter(u -> u.key().equals(key))
                .toList();
    }

    /** Waits until the upload of {@code key} is open and more than one part went up. */
    private static void awaitPartsOf(String key, long upstreamBefore) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (uploads(key).isEmpty() || link.upstreamBytes() - upstreamBefore < (20L << 20)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no part of " + key + " went up within 60 s");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitServed(RealSidecar sidecar, long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sidecar.metric("dumpflow_sidecar_bytes_served_total") < bytes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sidecar did not serve " + bytes + " bytes");
            }
            Thread.sleep(20);
        }
    }

    private static HttpRequest request(PackagedFunction target, DumpClosed closed)
            throws IOException {
        return HttpRequest.newBuilder(target.uri())
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-specversion", "1.0")
                .header("ce-type", EventTypes.DUMP_CLOSED)
                .header("ce-source", "/namespaces/shop/pods/checkout/containers/app")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(closed)))
                .build();
    }

    private static HttpResponse<String> post(PackagedFunction target, DumpClosed closed)
            throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request(target, closed), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(
            PackagedFunction target, DumpClosed closed) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        return client.sendAsync(request(target, closed), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> client.close());
    }
}
