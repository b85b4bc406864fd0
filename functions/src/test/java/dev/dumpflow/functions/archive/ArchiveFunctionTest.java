package dev.dumpflow.functions.archive;

import static dev.dumpflow.functions.archive.ArchiveRequests.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class ArchiveFunctionTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static Path dump;
    private static String dumpSha;
    private static SidecarStandIn sidecar;

    @Inject S3Client s3;
    @Inject ObjectMapper mapper;

    @BeforeAll
    static void startSidecar() throws Exception {
        // ~48 MB that compresses to about 20 MB: several 8 MiB parts.
        dump = Files.createTempFile("dump", ".hprof");
        Files.delete(dump);
        DumpContent.write(DumpContent.generated(48_000_000, 7), dump);
        dumpSha = DumpContent.sha256(Files.newInputStream(dump));
        sidecar = SidecarStandIn.start();
    }

    @AfterAll
    static void stopSidecar() throws Exception {
        sidecar.close();
        Files.deleteIfExists(dump);
    }

    private DumpClosed served(String dumpId) throws Exception {
        sidecar.serve(dumpId, TOKEN, DumpContent.of(dump));
        return ArchiveRequests.closed(dumpId, Files.size(dump), sidecar.url(dumpId), TOKEN);
    }

    @Test
    void archivesADumpInPartsThatDecompressesToTheOriginalBytes() throws Exception {
        DumpClosed closed = served(ArchiveRequests.newDumpId());
        String key = ArchiveRequests.key(closed);
        AtomicReference<HeadObjectResponse> atDelete = new AtomicReference<>();
        sidecar.onDelete(id -> atDelete.set(s3.headObject(b -> b.bucket(BUCKET).key(key))));

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
        assertThat(response.header("ce-source")).isEqualTo("/dumpflow/archive");
        assertThat(response.header("ce-subject")).isEqualTo(closed.dumpId());
        assertThat(response.header("ce-dumpid")).isEqualTo(closed.dumpId());
        assertThat(response.header("ce-dataschema"))
                .isEqualTo(EventTypes.dataSchema(EventTypes.DUMP_ARCHIVED).toString());
        DumpArchived archived = mapper.readValue(response.asString(), DumpArchived.class);
        assertThat(archived.key()).isEqualTo(key).startsWith("dumps/shop/_unknown/2026/11/22/");
        assertThat(archived.bucket()).isEqualTo(BUCKET);
        assertThat(archived.sha256()).isEqualTo(dumpSha);
        assertThat(archived.rawBytes()).isEqualTo(Files.size(dump));
        assertThat(archived.codec()).isEqualTo("zstd");

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.contentLength()).isEqualTo(archived.storedBytes()).isGreaterThan(16 << 20);
        assertThat(head.contentType()).isEqualTo("application/zstd");
        assertThat(head.metadata())
                .containsEntry("dumpid", closed.dumpId())
                .doesNotContainKey("sha256")
                .containsEntry("raw-size", Long.toString(Files.size(dump)))
                .containsEntry("cause", "oom")
                .containsEntry("format", "hprof")
                .containsEntry("namespace", "shop")
                .containsEntry("pod", "checkout-7d9f8b6c5-x2x9q");
        String restored =
                DumpContent.sha256(
                        new ZstdInputStream(s3.getObject(b -> b.bucket(BUCKET).key(key))));
        assertThat(restored).isEqualTo(dumpSha);

        assertThat(atDelete.get())
                .as("the object was complete when the sidecar was told to delete")
                .isNotNull();
        assertThat(atDelete.get().contentLength()).isEqualTo(archived.storedBytes());
        DumpArchived recorded =
                mapper.readValue(
                        s3.getObjectAsBytes(
                                        b ->
                                                b.bucket(BUCKET)
                                                        .key(
                                                                StorageLayout.byIdKey(
                                                                        closed.dumpId())))
                                .asByteArray(),
                        DumpArchived.class);
        assertThat(recorded).as("the record, created once").isEqualTo(archived);
        assertThat(sidecar.holds(closed.dumpId())).isFalse();
        assertThat(ArchiveRequests.uploads(s3, BUCKET)).isEmpty();
        sidecar.onDelete(id -> {});
    }

    @Test
    void metricsCountAStoredArchiveARedeliveryTheirBytesAndDurations() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        DumpClosed closed = served(ArchiveRequests.newDumpId());
        DumpArchived archived =
                mapper.readValue(
                        new ArchiveRequests(mapper).postBinary(closed).asString(),
                        DumpArchived.class);
        sidecar.serve(closed.dumpId(), TOKEN, DumpContent.of(dump));
        new ArchiveRequests(mapper).postBinary(closed);

        ScrapedMetrics after = ScrapedMetrics.scrape();
        String stored = "{outcome=\"stored\"}";
        String again = "{outcome=\"already-stored\"}";
        assertThat(delta(before, after, "dumpflow_archives_total" + stored)).isEqualTo(1);
        assertThat(delta(before, after, "dumpflow_archives_total" + again)).isEqualTo(1);
        assertThat(delta(before, after, "dumpflow_archive_duration_seconds_count" + stored))
                .isEqualTo(1);
        assertThat(after.text())
                .contains("# TYPE dumpflow_archive_duration_seconds histogram")
                .contains("dumpflow_archive_duration_seconds_bucket{outcome=\"stored\",le=");
        assertThat(delta(before, after, "dumpflow_archive_bytes_total{direction=\"in\"}"))
                .isEqualTo(archived.rawBytes());
        assertThat(delta(before, after, "dumpflow_archive_bytes_total{direction=\"out\"}"))
                .isEqualTo(archived.storedBytes());
    }

    @Test
    void readinessCoversTheBucket() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'bucket' }.status", org.hamcrest.Matchers.is("UP"))
                .body(
                        "checks.find { it.name == 'bucket' }.data.bucket",
                        org.hamcrest.Matchers.is(BUCKET));
    }

    private static double delta(ScrapedMetrics before, ScrapedMetrics after, String sample) {
        return after.value(sample) - before.value(sample);
    }

    @Test
    void answersAStructuredEventWithAStructuredReply() throws Exception {
        String dumpId = ArchiveRequests.newDumpId();
        byte[] small = "JAVA PROFILE 1.0.2\0 a small dump".getBytes();
        Path file = Files.write(Files.createTempFile("small", ".hprof"), small);
        sidecar.serve(dumpId, TOKEN, DumpContent.of(file));
        DumpClosed closed =
                ArchiveRequests.closed(dumpId, small.length, sidecar.url(dumpId), TOKEN);

        Response response = new ArchiveRequests(mapper).postStructured(closed);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/cloudevents+json");
        JsonNode event = mapper.readTree(response.asString());
        assertThat(event.get("type").asText()).isEqualTo(EventTypes.DUMP_ARCHIVED);
        assertThat(event.get("source").asText()).isEqualTo("/dumpflow/archive");
        assertThat(event.get("dumpid").asText()).isEqualTo(dumpId);
        DumpArchived archived = mapper.treeToValue(event.get("data"), DumpArchived.class);
        byte[] stored =
                new ZstdInputStream(s3.getObject(b -> b.bucket(BUCKET).key(archived.key())))
                        .readAllBytes();
        assertThat(stored).isEqualTo(small);
        assertThat(
                        s3.getObjectAsBytes(
                                        b -> b.bucket(BUCKET).key(StorageLayout.byIdKey(dumpId)))
                                .asUtf8String())
                .contains(archived.sha256());
        Files.delete(file);
    }

    @Test
    void redeliveryStoresOneObjectAndRepliesTheSameEvent() throws Exception {
        DumpClosed closed = served(ArchiveRequests.newDumpId());
        ArchiveRequests requests = new ArchiveRequests(mapper);

        Response first = requests.postBinary(closed);
        sidecar.serve(closed.dumpId(), TOKEN, DumpContent.of(dump));
        Response second = requests.postBinary(closed);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.header("ce-id")).isEqualTo(first.header("ce-id"));
        assertThat(mapper.readTree(second.asString())).isEqualTo(mapper.readTree(first.asString()));
        String path = "/dumps/" + closed.dumpId();
        assertThat(sidecar.requests())
                .filteredOn(r -> r.contains(path))
                .containsExactly("GET " + path, "DELETE " + path, "DELETE " + path);
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/"))
                .filteredOn(o -> o.key().contains(closed.dumpId()))
                .hasSize(1);
    }

    @Test
    void concurrentDeliveriesOfOneEventPullTheDumpOnceAndReplyAlike() throws Exception {
        DumpClosed closed = served(ArchiveRequests.newDumpId());
        ArchiveRequests requests = new ArchiveRequests(mapper);

        List<Response> responses;
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Response>> posted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                posted.add(pool.submit(() -> requests.postBinary(closed)));
            }
            responses = new ArrayList<>();
            for (Future<Response> f : posted) {
                responses.add(f.get(2, TimeUnit.MINUTES));
            }
        }

        assertThat(responses).extracting(Response::statusCode).containsOnly(200);
        assertThat(responses)
                .extracting(r -> r.header("ce-id"))
                .containsOnly(responses.get(0).header("ce-id"));
        assertThat(responses)
                .extracting(r -> mapper.readTree(r.asString()).get("sha256").asText())
                .containsOnly(dumpSha);
        assertThat(sidecar.requests())
                .filteredOn(r -> r.startsWith("GET /dumps/" + closed.dumpId()))
                .hasSize(1);
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/"))
                .filteredOn(o -> o.key().contains(closed.dumpId()))
                .hasSize(1);
    }

    @Test
    void resumesACutTransferWithARangeRequest() throws Exception {
        DumpClosed closed = served(ArchiveRequests.newDumpId());
        sidecar.cutOnce(closed.dumpId(), 20_000_000);

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sidecar.requests())
                .contains("GET /dumps/" + closed.dumpId() + " bytes=20000000-");
        DumpArchived archived = mapper.readValue(response.asString(), DumpArchived.class);
        assertThat(archived.sha256()).isEqualTo(dumpSha);
        assertThat(
                        DumpContent.sha256(
                                new ZstdInputStream(
                                        s3.getObject(b -> b.bucket(BUCKET).key(archived.key())))))
                .isEqualTo(dumpSha);
    }
}
