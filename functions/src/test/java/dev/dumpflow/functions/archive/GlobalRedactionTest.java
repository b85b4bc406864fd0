package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A global policy of {@code primitives} with {@code keep-original=P3D}: an annotation cannot loosen
 * the global mode, and the original is kept under {@code raw/}, at the dump's path, compressed as
 * fetched, with the checksum the record names.
 */
@QuarkusTest
@TestProfile(GlobalRedactionProfile.class)
class GlobalRedactionTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;
    @TempDir Path dir;

    @Test
    void theGlobalPrimitivesBeatsANamespaceOfNoneAndTheOriginalIsKeptUnderRaw() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TinyHprof.bytes());
        }
        Path original = Files.write(dir.resolve("heap.hprof.gz"), gz.toByteArray());
        String namespace = "glob-" + UUID.randomUUID().toString().substring(0, 8);
        RedactedDumps.namespace(kube, namespace, "none");
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment(namespace, "db", "team@example.test");
        try (SidecarStandIn sidecar = SidecarStandIn.start()) {
            String uid = cluster.oomKilledPod(namespace, "db", "db-0", "127.0.0.1", sidecar.port());
            String dumpId = ArchiveRequests.newDumpId();
            sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(original));
            DumpClosed closed =
                    RedactedDumps.closed(
                            dumpId,
                            "heap.hprof.gz",
                            DumpFormat.HPROF_GZ,
                            Files.size(original),
                            sidecar,
                            namespace,
                            "db-0",
                            uid);

            Response reply = new ArchiveRequests(json).postBinary(closed);

            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
            DumpArchived record = json.readValue(reply.asString(), DumpArchived.class);
            assertThat(record.redaction().mode()).isEqualTo("primitives");
            assertThat(record.redaction().originalKept()).isTrue();
            Path stored =
                    RedactedDumps.decompressed(s3, BUCKET, record.key(), dir.resolve("stored"));
            assertThat(TinyHprof.kept(Files.readAllBytes(stored))).isEmpty();

            String rawKey =
                    StorageLayout.rawKey(
                            record.pod(), dumpId, DumpFormat.HPROF_GZ, closed.closedAt());
            assertThat(rawKey)
                    .isEqualTo(
                            "raw/"
                                    + record.key()
                                            .substring("dumps/".length())
                                            .replace(".hprof.zst", ".hprof-gz.zst"));
            Path kept = RedactedDumps.decompressed(s3, BUCKET, rawKey, dir.resolve("kept"));
            assertThat(Files.readAllBytes(kept)).isEqualTo(gz.toByteArray());
            assertThat(RedactedDumps.sha256(kept)).isEqualTo(record.redaction().originalSha256());

            // A re-delivery finds it stored as it was: same record, nothing uploaded again.
            Response again = new ArchiveRequests(json).postBinary(closed);
            assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
            assertThat(json.readValue(again.asString(), DumpArchived.class)).isEqualTo(record);
        }
    }
}
