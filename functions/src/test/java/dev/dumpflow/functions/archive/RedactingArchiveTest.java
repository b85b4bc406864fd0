package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.analysis.ChildJvm;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.analysis.ProfiledJvmDumps;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.enrich.ClusterFixture;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The "done when": a real JVM holding 100 random tokens (in Strings, char[]s and byte[]s,
 * UTF-8 and UTF-16) is dumped with jcmd and archived through the archive function under the
 * namespace annotation {@code dumpflow.dev/redact: strings}, read from the API server. The stored
 * object, decompressed, holds none of the tokens in any encoding (the dump as fetched held every
 * one), has the original's class histogram, and shark, an independent HPROF reader, reads it to its
 * end. Plain and gzipped dumps both.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class RedactingArchiveTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final List<String> TOKENS = RedactedDumps.tokens(100, 21);

    /** The JVM's dumps, taken once for the class. */
    private static ProfiledJvmDumps.Snapshot dumps;

    @TempDir static Path dir;

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject KubernetesClient kube;

    @BeforeAll
    static void dumpAJvmHoldingTheTokens() throws Exception {
        try (ChildJvm jvm =
                ChildJvm.start(
                        List.of(
                                "-Xmx64m",
                                "-cp",
                                ChildJvm.testClassPath(),
                                SecretHoldingJvm.class.getName()),
                        "ready")) {
            for (String token : TOKENS) {
                jvm.tell("secret " + token);
            }
            jvm.tell("done");
            jvm.awaitOutput("holding " + TOKENS.size());
            dumps =
                    ProfiledJvmDumps.snapshot(
                            jvm, Files.createDirectories(dir.resolve("jvm")), true);
        }
    }

    @AfterAll
    static void forget() {
        dumps = null;
    }

    @Test
    void aPlainDumpUnderTheNamespacesStringsPolicyIsStoredWithoutItsTokens() throws Exception {
        DumpArchived record = archiveUnderStrings(dumps.plain(), DumpFormat.HPROF, "heap.hprof");

        assertStoredRedacted(record, dumps.plain());
    }

    @Test
    void aGzippedDumpIsRedactedAndStoredAsPlainHprof() throws Exception {
        DumpArchived record =
                archiveUnderStrings(dumps.gzipped(), DumpFormat.HPROF_GZ, "heap.hprof.gz");

        assertThat(record.format()).isEqualTo(DumpFormat.HPROF);
        assertThat(record.key()).endsWith(".hprof.zst").doesNotContain("hprof-gz");
        assertThat(record.rawBytes()).isEqualTo(Files.size(dumps.gzipped()));
        // The original's checksum is of the gzip file as fetched.
        assertThat(record.redaction().originalSha256())
                .isEqualTo(RedactedDumps.sha256(dumps.gzipped()));
        assertStoredRedacted(record, dumps.plain());
    }

    private DumpArchived archiveUnderStrings(Path dump, DumpFormat format, String fileName)
            throws Exception {
        String namespace = "vault-" + UUID.randomUUID().toString().substring(0, 8);
        RedactedDumps.namespace(kube, namespace, "strings");
        ClusterFixture cluster = new ClusterFixture(kube);
        cluster.deployment(namespace, "db", "team@example.test");
        try (SidecarStandIn sidecar = SidecarStandIn.start()) {
            String uid = cluster.oomKilledPod(namespace, "db", "db-0", "127.0.0.1", sidecar.port());
            String dumpId = ArchiveRequests.newDumpId();
            sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(dump));
            DumpClosed closed =
                    RedactedDumps.closed(
                            dumpId,
                            fileName,
                            format,
                            Files.size(dump),
                            sidecar,
                            namespace,
                            "db-0",
                            uid);

            Response reply = new ArchiveRequests(json).postBinary(closed);

            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
            assertThat(reply.header("ce-type")).isEqualTo(EventTypes.DUMP_ARCHIVED);
            assertThat(sidecar.holds(dumpId)).as("the sidecar's copy is deleted").isFalse();
            return json.readValue(reply.asString(), DumpArchived.class);
        }
    }

    private void assertStoredRedacted(DumpArchived record, Path plainOriginal) throws Exception {
        assertThat(record.redaction()).isNotNull();
        assertThat(record.redaction().mode()).isEqualTo("strings");
        assertThat(record.redaction().originalKept()).isFalse();
        Path stored =
                RedactedDumps.decompressed(
                        s3, BUCKET, record.key(), dir.resolve(record.dumpId() + ".hprof"));
        assertThat(RedactedDumps.sha256(stored))
                .as("the record's sha256 is of the stored, redacted bytes")
                .isEqualTo(record.sha256());
        assertThat(ArchiveRequests.objects(s3, BUCKET, "raw/"))
                .noneMatch(o -> o.key().contains(record.dumpId()));

        // The test can fail: the dump as taken holds every token, in every encoding.
        assertThat(RedactedDumps.found(plainOriginal, TOKENS)).hasSize(TOKENS.size() * 3);
        assertThat(RedactedDumps.found(stored, TOKENS)).isEmpty();

        AnalysisSettings settings = AnalysisSettings.defaults();
        HeapAnalysis before = ProfiledJvmDumps.analysis(plainOriginal, settings);
        HeapAnalysis after = ProfiledJvmDumps.analysis(stored, settings);
        assertThat(after.histogram()).isEqualTo(before.histogram());
        assertThat(record.analysis().topClasses()).isEqualTo(before.summary().topClasses());

        SharkOracle.Census original = SharkOracle.read(plainOriginal);
        SharkOracle.Census redacted = SharkOracle.read(stored);
        assertThat(redacted.records()).isEqualTo(original.records());
        assertThat(redacted.instances()).isEqualTo(original.instances()).isPositive();
        assertThat(original.nonZeroCharOrByteArrays()).isPositive();
        assertThat(redacted.nonZeroCharOrByteArrays()).isZero();
        assertThat(redacted.charOrByteArrays()).isEqualTo(original.charOrByteArrays());
    }
}
