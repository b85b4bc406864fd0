package dev.dumpflow.functions.archive;

import static dev.dumpflow.functions.archive.ArchiveRequests.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.AnalysisCap;
import dev.dumpflow.analysis.HprofBombs;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gzipped HPROF bombs through the real archive path, under a memory budget of 1 MiB: each dump is
 * stored, its analysis is flagged truncated by the cap it reached, and {@code /q/metrics} counts
 * that cap under its own {@code reason} label.
 */
@QuarkusTest
@TestProfile(AnalysisCapsArchiveTest.SmallBudget.class)
class AnalysisCapsArchiveTest {

    /** A memory budget of 1 MiB, so that bombs of a few hundred KB reach its caps. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dumpflow.analysis.memory-budget", "1M");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }
    }

    private static SidecarStandIn sidecar;

    @Inject ObjectMapper mapper;

    @BeforeAll
    static void startSidecar() throws Exception {
        sidecar = SidecarStandIn.start();
    }

    @AfterAll
    static void stopSidecar() throws Exception {
        sidecar.close();
    }

    @Test
    void aDumpOfTooManyClassesIsStoredAndCountedUnderClassesCap(@TempDir Path dir)
            throws Exception {
        Path bomb = HprofBombs.manyClasses(dir.resolve("classes.hprof.gz"), 5_000, 40, 1);
        archivedPastCap(bomb, AnalysisCap.CLASSES);
    }

    @Test
    void aDumpOfTooManyStringBytesIsStoredAndCountedUnderStringsCap(@TempDir Path dir)
            throws Exception {
        Path bomb = HprofBombs.manyStrings(dir.resolve("strings.hprof.gz"), 200, 4096);
        archivedPastCap(bomb, AnalysisCap.STRINGS);
    }

    @Test
    void aDumpOfTooManyStringIdsIsStoredAndCountedUnderIdsCap(@TempDir Path dir) throws Exception {
        Path bomb = HprofBombs.manyStrings(dir.resolve("ids.hprof.gz"), 40_000, 8);
        archivedPastCap(bomb, AnalysisCap.IDS);
    }

    private void archivedPastCap(Path bomb, AnalysisCap cap) throws Exception {
        String sample = "dumpflow_analysis_truncated_total{reason=\"" + cap.label() + "\"}";
        ScrapedMetrics before = ScrapedMetrics.scrape();
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, TOKEN, DumpContent.of(bomb));
        DumpClosed plain =
                ArchiveRequests.closed(dumpId, Files.size(bomb), sidecar.url(dumpId), TOKEN);
        DumpClosed closed =
                new DumpClosed(
                        plain.dumpId(),
                        "java_pid42.hprof.gz",
                        plain.sizeBytes(),
                        plain.closedAt(),
                        DumpFormat.HPROF_GZ,
                        plain.cause(),
                        plain.pid(),
                        plain.fetch(),
                        plain.pod());

        Response reply = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        DumpArchived archived = mapper.readValue(reply.asString(), DumpArchived.class);
        assertThat(archived.rawBytes()).isEqualTo(Files.size(bomb));
        assertThat(archived.analysis()).isNotNull();
        assertThat(archived.analysis().truncated()).isTrue();
        assertThat(AnalysisCap.named(archived.analysis().truncationReason())).contains(cap);
        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(after.value(sample) - before.value(sample)).isEqualTo(1);
    }
}
