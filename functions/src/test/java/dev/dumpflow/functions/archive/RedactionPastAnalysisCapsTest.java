package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.AnalysisCap;
import dev.dumpflow.analysis.HprofBombs;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The analysis's memory caps never turn redaction off: a dump whose analysis stops at a cap is
 * still redacted to its last record. Without a cluster (no Kubernetes API, as in the local stack)
 * the global mode alone applies.
 */
@QuarkusTest
@TestProfile(RedactionPastAnalysisCapsTest.SmallBudgetStrings.class)
class RedactionPastAnalysisCapsTest {

    /** A memory budget of 1 MiB, redaction {@code strings} for every dump, no cluster. */
    public static class SmallBudgetStrings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "dumpflow.analysis.memory-budget", "1M",
                    "dumpflow.redaction.mode", "strings");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }
    }

    @Inject ObjectMapper json;
    @Inject S3Client s3;
    @TempDir Path dir;

    @Test
    void arraysAfterTheRecordThatStoppedTheAnalysisAreStillZeroed() throws Exception {
        // 40,000 symbols reach the ids cap; the secrets come after them, at the very end.
        Path bomb = HprofBombs.manyStrings(dir.resolve("ids.hprof.gz"), 40_000, 8);
        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(bomb))) {
            plain = in.readAllBytes();
        }
        byte[] tiny = TinyHprof.bytes();
        int header = "JAVA PROFILE 1.0.2\0".length() + 4 + 8;
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        dump.write(plain, 0, plain.length - 9); // without its HEAP DUMP END
        dump.write(tiny, header, tiny.length - header);
        Path file = Files.write(dir.resolve("dump.hprof"), dump.toByteArray());
        assertThat(TinyHprof.kept(Files.readAllBytes(file))).isEqualTo("char[] byte[] int[]");

        try (SidecarStandIn sidecar = SidecarStandIn.start()) {
            String dumpId = ArchiveRequests.newDumpId();
            sidecar.serve(dumpId, ArchiveRequests.TOKEN, DumpContent.of(file));
            DumpClosed closed =
                    ArchiveRequests.closed(
                            dumpId, Files.size(file), sidecar.url(dumpId), ArchiveRequests.TOKEN);

            Response reply = new ArchiveRequests(json).postBinary(closed);

            assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
            DumpArchived record = json.readValue(reply.asString(), DumpArchived.class);
            assertThat(record.format()).isEqualTo(DumpFormat.HPROF);
            assertThat(record.analysis().truncated()).isTrue();
            assertThat(AnalysisCap.named(record.analysis().truncationReason()))
                    .contains(AnalysisCap.IDS);
            assertThat(record.redaction().mode()).isEqualTo("strings");
            byte[] stored =
                    Files.readAllBytes(
                            RedactedDumps.decompressed(
                                    s3, S3ProxyResource.BUCKET, record.key(), dir.resolve("s")));
            assertThat(stored).hasSameSizeAs(dump.toByteArray());
            assertThat(TinyHprof.kept(stored)).isEqualTo("int[]");
            assertThat(Arrays.equals(stored, 0, header, tiny, 0, header)).isTrue();
        }
    }
}
