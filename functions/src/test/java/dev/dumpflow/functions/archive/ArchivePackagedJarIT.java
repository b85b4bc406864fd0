package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.luben.zstd.ZstdInputStream;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The packaged function, started as a user would with {@code -Xmx256m}, against a real S3 server
 * (S3Proxy behind a relay that can fail) and a sidecar stand-in that generates the dump's bytes as
 * it serves them, so no gigabyte file is needed.
 */
class ArchivePackagedJarIT {

    private static final long GIB = 1L << 30;
    private static final String BUCKET = S3ProxyResource.BUCKET;

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static S3ProxyResource s3proxy;
    private static FaultyLink link;
    private static SidecarStandIn sidecar;
    private static PackagedFunction function;
    private static S3Client s3;
    private static Map<String, String> functionConfig;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = new S3ProxyResource();
        Map<String, String> config = new HashMap<>(s3proxy.start());
        URI endpoint = URI.create(s3proxy.endpoint());
        link = FaultyLink.to(endpoint.getPort());
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + link.port());
        sidecar = SidecarStandIn.start();
        functionConfig = Map.copyOf(config);
        function = PackagedFunction.start("256m", config);
        s3 =
                S3Client.builder()
                        .endpointOverride(endpoint)
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

    private static HttpResponse<String> post(DumpClosed closed) throws Exception {
        return post(function, closed);
    }

    private static HttpResponse<String> post(PackagedFunction target, DumpClosed closed)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(target.uri())
                        .header("ce-id", UUID.randomUUID().toString())
                        .header("ce-specversion", "1.0")
                        .header("ce-type", EventTypes.DUMP_CLOSED)
                        .header("ce-source", "/namespaces/shop/pods/checkout/containers/app")
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        MAPPER.writeValueAsString(closed)))
                        .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void archivesA1GiBDumpWithA256MiBHeap() throws Exception {
        DumpContent content = DumpContent.generated(GIB, 42);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, content);
        DumpClosed closed =
                ArchiveRequests.closed(
                        dumpId, content.size(), sidecar.url(dumpId), ArchiveRequests.TOKEN);

        HttpResponse<String> response = post(closed);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("ce-type")).hasValue(EventTypes.DUMP_ARCHIVED);
        JsonNode archived = MAPPER.readTree(response.body());
        String expectedSha = DumpContent.sha256(content.open(0));
        assertThat(archived.get("sha256").asText()).isEqualTo(expectedSha);
        assertThat(archived.get("rawBytes").asLong()).isEqualTo(GIB);
        String key = archived.get("key").asText();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.contentLength()).isEqualTo(archived.get("storedBytes").asLong());
        assertThat(
                        s3.getObjectAsBytes(
                                        b ->
                                                b.bucket(BUCKET)
                                                        .key(
                                                                StorageLayout.byIdKey(
                                                                        closed.dumpId())))
                                .asUtf8String())
                .as("the dump's record")
                .contains(expectedSha);
        assertThat(
                        DumpContent.sha256(
                                new ZstdInputStream(s3.getObject(b -> b.bucket(BUCKET).key(key)))))
                .isEqualTo(expectedSha);
        assertThat(function.log())
                .doesNotContain("OutOfMemoryError")
                .contains("dump " + dumpId + ": archived")
                .doesNotContain(ArchiveRequests.TOKEN);
        assertThat(function.alive()).isTrue();
    }

    /**
     * A benchmark, not a timed test: on the dump named by {@code -Ddumpflow.bench.dump}, in one
     * run, times {@code zstd -1 -T2 file -o /dev/null}, the archive with the heap analysis (the
     * default) and the archive of a second packaged function with {@code
     * dumpflow.analysis.enabled=false}, and prints the throughputs and their ratios.
     */
    @Test
    @EnabledIfSystemProperty(named = "dumpflow.bench.dump", matches = ".+")
    void benchmarksTheArchiveWithAndWithoutAnalysisAgainstZstd() throws Exception {
        Path file = Path.of(System.getProperty("dumpflow.bench.dump"));
        long size = Files.size(file);
        Map<String, String> config = new HashMap<>(functionConfig);
        config.put("dumpflow.analysis.enabled", "false");
        try (PackagedFunction plain = PackagedFunction.start("256m", config)) {
            // Warm both functions up (class loading, JIT, S3 connections) on 64 MB first.
            warmUp(function);
            warmUp(plain);
            DumpContent.sha256(Files.newInputStream(file)); // warm the page cache for all three

            long zstdStart = System.nanoTime();
            Process zstd =
                    new ProcessBuilder(
                                    "zstd",
                                    "-q",
                                    "-f",
                                    "-1",
                                    "-T2",
                                    file.toString(),
                                    "-o",
                                    "/dev/null")
                            .inheritIO()
                            .start();
            assertThat(zstd.waitFor()).isZero();
            double zstdRate = size / 1e6 / ((System.nanoTime() - zstdStart) / 1e9);
            Timed analysed = archive(function, file);
            Timed notAnalysed = archive(plain, file);

            assertThat(analysed.archived().path("analysis").path("topClasses").size())
                    .as("the default function analysed the dump")
                    .isPositive();
            assertThat(
                            notAnalysed.archived().path("analysis").isMissingNode()
                                    || notAnalysed.archived().path("analysis").isNull())
                    .as("analysis off leaves no analysis")
                    .isTrue();
            System.out.printf(
                    "BENCH %s (%d bytes)%n"
                            + "BENCH zstd -1 -T2 -o /dev/null      %8.1f MB/s%n"
                            + "BENCH archive, analysis on          %8.1f MB/s (%.2fx zstd)"
                            + " stored %d bytes, ratio %.2f%n"
                            + "BENCH archive, analysis off         %8.1f MB/s (%.2fx zstd)%n"
                            + "BENCH analysis on / analysis off    %8.2fx%n",
                    file,
                    size,
                    zstdRate,
                    analysed.rate(),
                    analysed.rate() / zstdRate,
                    analysed.archived().get("storedBytes").asLong(),
                    (double) size / analysed.archived().get("storedBytes").asLong(),
                    notAnalysed.rate(),
                    notAnalysed.rate() / zstdRate,
                    analysed.rate() / notAnalysed.rate());
        }
    }

    /** A dump.archived reply and the end-to-end throughput that produced it, in MB/s. */
    private record Timed(JsonNode archived, double rate) {}

    private static void warmUp(PackagedFunction target) throws Exception {
        String dumpId = ArchiveRequests.newDumpId();
        DumpContent small = DumpContent.generated(64_000_000, 9);
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, small);
        assertThat(
                        post(
                                        target,
                                        ArchiveRequests.closed(
                                                dumpId,
                                                small.size(),
                                                sidecar.url(dumpId),
                                                ArchiveRequests.TOKEN))
                                .statusCode())
                .isEqualTo(200);
    }

    private static Timed archive(PackagedFunction target, Path file) throws Exception {
        long size = Files.size(file);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(file));
        long start = System.nanoTime();
        HttpResponse<String> response =
                post(
                        target,
                        ArchiveRequests.closed(
                                dumpId, size, sidecar.url(dumpId), ArchiveRequests.TOKEN));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new Timed(MAPPER.readTree(response.body()), size / 1e6 / seconds);
    }

    @Test
    void answers503AndLeavesNoUploadWhenS3FailsMidUpload() throws Exception {
        DumpContent content = DumpContent.generated(200_000_000, 5);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, content);
        DumpClosed closed =
                ArchiveRequests.closed(
                        dumpId, content.size(), sidecar.url(dumpId), ArchiveRequests.TOKEN);
        // The first 16 MiB part goes up, then S3 stops taking large requests.
        link.failAfter(20L << 20);
        HttpResponse<String> response;
        try {
            response = post(closed);
        } finally {
            link.heal();
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(function.log())
                .contains("dump " + dumpId + ": multipart upload aborted")
                .doesNotContain(ArchiveRequests.TOKEN);
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents())
                .noneMatch(o -> o.key().contains(dumpId));
        assertThat(sidecar.holds(dumpId)).as("the dump stays on the sidecar").isTrue();
    }
}
