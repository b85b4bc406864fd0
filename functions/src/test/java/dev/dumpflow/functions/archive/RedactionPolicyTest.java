package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.enrich.KubernetesMockResource;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The redaction policy through the archive function, against the fabric8 mock API server and
 * S3Proxy: the strictest of global mode, namespace annotation and workload annotation wins; an
 * unreadable namespace stores nothing (503); a dump that cannot be redacted is never stored, is
 * deleted on the sidecar and is answered {@code dump.failed} with code {@code unredactable}.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class RedactionPolicyTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final String UNREDACTABLE = "dumpflow_archives_total{outcome=\"unredactable\"}";

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    @TempDir Path dir;

    private SidecarStandIn sidecar;
    private String namespace;

    @BeforeEach
    void start() throws Exception {
        sidecar = SidecarStandIn.start();
        namespace = "pol-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stop() {
        sidecar.close();
    }

    @Test
    void aWorkloadCannotLoosenItsNamespacesStringsPolicy() throws Exception {
        Response reply = archive("strings", "none", TinyHprof.bytes(), DumpFormat.HPROF);

        DumpArchived record = archived(reply);
        assertThat(record.redaction().mode()).isEqualTo("strings");
        assertThat(TinyHprof.kept(stored(record))).isEqualTo("int[]");
    }

    @Test
    void aWorkloadCanTightenItsNamespacesPolicy() throws Exception {
        Response reply = archive(null, "primitives", TinyHprof.bytes(), DumpFormat.HPROF);

        DumpArchived record = archived(reply);
        assertThat(record.redaction().mode()).isEqualTo("primitives");
        assertThat(TinyHprof.kept(stored(record))).isEmpty();
    }

    @Test
    void withoutAnyAnnotationTheGlobalNoneStoresTheDumpAsFetched() throws Exception {
        Response reply = archive(null, null, TinyHprof.bytes(), DumpFormat.HPROF);

        DumpArchived record = archived(reply);
        assertThat(record.redaction()).isNull();
        assertThat(json.readTree(reply.asString()).has("redaction")).isFalse();
        assertThat(stored(record)).isEqualTo(TinyHprof.bytes());
    }

    @Test
    void anAnnotationThatNamesNoModeCountsAsPrimitives() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response reply = archive("secret-stuff", null, TinyHprof.bytes(), DumpFormat.HPROF);

        DumpArchived record = archived(reply);
        assertThat(record.redaction().mode()).isEqualTo("primitives");
        assertThat(TinyHprof.kept(stored(record))).isEmpty();
        String invalid = "dumpflow_redaction_annotation_invalid_total";
        assertThat(ScrapedMetrics.scrape().value(invalid) - before.value(invalid)).isEqualTo(1);
    }

    @Test
    void aNamespaceTheApiCannotShowStoresNothingAndIsRetried() throws Exception {
        KubernetesMockResource.server()
                .expect()
                .get()
                .withPath("/api/v1/namespaces/" + namespace)
                .andReturn(500, "etcd is having a day")
                .always();

        Response reply = archive(null, null, TinyHprof.bytes(), DumpFormat.HPROF);

        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(503);
        assertThat(reply.asString()).contains("namespace " + namespace);
        assertThat(sidecar.requests()).as("nothing fetched, nothing deleted").isEmpty();
        assertNothingStored();
    }

    @Test
    void aDotnetDumpUnderStringsIsRefusedAndDeletedOnTheSidecar() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        byte[] dotnet = "MDMP a .NET dump full of secrets".getBytes();

        Response reply = archive("strings", null, dotnet, DumpFormat.DOTNET);

        DumpFailed failed = unredactable(reply);
        assertThat(failed.reason()).contains("dotnet").contains("sidecar's copy was deleted");
        assertThat(sidecar.requests())
                .as("never fetched, only deleted")
                .allMatch(r -> r.startsWith("DELETE "))
                .hasSize(1);
        assertThat(ScrapedMetrics.scrape().value(UNREDACTABLE) - before.value(UNREDACTABLE))
                .isEqualTo(1);
    }

    @Test
    void aCutOffHprofIsRefusedAsUnredactableAndNothingIsLeftInTheBucket() throws Exception {
        byte[] whole = TinyHprof.bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 20);

        Response reply = archive("strings", null, cut, DumpFormat.HPROF);

        DumpFailed failed = unredactable(reply);
        assertThat(failed.reason()).contains("cannot be redacted");
        assertThat(sidecar.requests()).anyMatch(r -> r.startsWith("DELETE "));
    }

    @Test
    void aCorruptGzipUnderStringsIsRefusedAsUnredactable() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TinyHprof.bytes());
        }
        byte[] corrupt = gz.toByteArray();
        corrupt[corrupt.length / 2] ^= 0x55;
        corrupt[corrupt.length / 2 + 1] ^= 0x55;

        Response reply = archive("strings", null, corrupt, DumpFormat.HPROF_GZ);

        unredactable(reply);
    }

    @Test
    void aGzipThatExpandsPastItsBoundIsRefusedAsUnredactable() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        // A valid HPROF: one byte[] of 256 MiB of zeroes, about 250 KiB gzipped. The default
        // bound (64 times the announced size) stops it after some 16 MiB of the 256.
        byte[] bomb = gzippedHprofOfZeroes(256 << 20);

        Response reply = archive("strings", null, bomb, DumpFormat.HPROF_GZ);

        DumpFailed failed = unredactable(reply);
        assertThat(failed.reason()).contains("dumpflow.redaction.max-expansion");
        assertThat(ScrapedMetrics.scrape().value(UNREDACTABLE) - before.value(UNREDACTABLE))
                .isEqualTo(1);
    }

    @Test
    void aDotnetDumpWithoutAPolicyIsStoredAsBefore() throws Exception {
        Response reply = archive(null, null, "MDMP bytes".getBytes(), DumpFormat.DOTNET);

        DumpArchived record = archived(reply);
        assertThat(record.redaction()).isNull();
        assertThat(record.key()).endsWith(".dotnet.zst");
    }

    /**
     * An HPROF holding one {@code byte[]} of {@code zeroes} zero bytes, gzipped as it is written.
     */
    private static byte[] gzippedHprofOfZeroes(int zeroes) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(gz, 64 * 1024))) {
            out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(8);
            out.writeLong(0);
            out.writeByte(0x1C); // HEAP_DUMP_SEGMENT
            out.writeInt(0);
            out.writeInt(1 + 8 + 4 + 4 + 1 + zeroes);
            out.writeByte(0x23); // PRIMITIVE_ARRAY_DUMP
            out.writeLong(1);
            out.writeInt(0);
            out.writeInt(zeroes);
            out.writeByte(8); // byte
            byte[] block = new byte[1 << 20];
            for (int left = zeroes; left > 0; left -= block.length) {
                out.write(block, 0, Math.min(left, block.length));
            }
            out.writeByte(0x2C); // HEAP_DUMP_END
            out.writeInt(0);
            out.writeInt(0);
        }
        return gz.toByteArray();
    }

    private Response archive(
            String namespaceMode, String workloadMode, byte[] content, DumpFormat format)
            throws Exception {
        RedactedDumps.namespace(kube, namespace, namespaceMode);
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment(namespace, "db", "team@example.test");
        if (workloadMode != null) {
            RedactedDumps.workload(kube, namespace, "db", workloadMode);
        }
        String uid = cluster.oomKilledPod(namespace, "db", "db-0", "127.0.0.1", sidecar.port());
        Path file = Files.write(dir.resolve("dump"), content);
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(file));
        DumpClosed closed =
                RedactedDumps.closed(
                        dumpId,
                        "dump." + format.wire(),
                        format,
                        content.length,
                        sidecar,
                        namespace,
                        "db-0",
                        uid);
        return new ArchiveRequests(json).postBinary(closed);
    }

    private DumpArchived archived(Response reply) throws Exception {
        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
        return json.readValue(reply.asString(), DumpArchived.class);
    }

    private DumpFailed unredactable(Response reply) throws Exception {
        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_FAILED);
        DumpFailed failed = json.readValue(reply.asString(), DumpFailed.class);
        assertThat(failed.code()).isEqualTo(FailureCode.UNREDACTABLE);
        assertThat(failed.stage()).isEqualTo("archive");
        assertNothingStored();
        return failed;
    }

    private byte[] stored(DumpArchived record) throws Exception {
        return Files.readAllBytes(
                RedactedDumps.decompressed(s3, BUCKET, record.key(), dir.resolve("stored")));
    }

    private void assertNothingStored() {
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/" + namespace + "/")).isEmpty();
        assertThat(ArchiveRequests.objects(s3, BUCKET, "raw/" + namespace + "/")).isEmpty();
        assertThat(ArchiveRequests.uploads(s3, BUCKET))
                .noneMatch(u -> u.key().contains("/" + namespace + "/"));
    }
}
