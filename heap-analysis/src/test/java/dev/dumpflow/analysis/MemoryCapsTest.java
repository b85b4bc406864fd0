package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dumps that declare more strings, identifiers or classes than the memory budget allows: each stops
 * at its own cap with a partial summary that names it, and the stream is still read to its end.
 * Small budgets keep the dumps small; {@code AnalysisUnderBombsTest} runs the full-size bombs in a
 * JVM of 256 MiB.
 */
class MemoryCapsTest {

    private static final long ONE_MIB = 1 << 20;
    private static final long POINT = 0x7000_0000L;

    private static HeapSummary analyze(Path dump, long budget) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            return analyze(in, budget);
        }
    }

    private static HeapSummary analyze(InputStream in, long budget) throws IOException {
        return new HprofAnalyzer(AnalysisSettings.defaults().withMemoryBudget(budget))
                .analyze(in, DumpFormat.HPROF_GZ)
                .orElseThrow()
                .summary();
    }

    @Test
    void aStringLongerThanFourKiBIsKeptCutAndItsClassNamedWithAnEllipsis(@TempDir Path dir)
            throws Exception {
        Path bomb = HprofBombs.hugeStrings(dir.resolve("strings.hprof.gz"), 20, 1 << 20);

        HeapSummary summary = analyze(bomb, ONE_MIB);

        assertThat(summary.truncated()).as(summary.truncationReason()).isFalse();
        assertThat(summary.topClasses())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.className()).isEqualTo("A".repeat(4096) + "\u2026");
                            assertThat(c.instances()).isEqualTo(1);
                        });
    }

    @Test
    void stringsPastTheStringsCapStopTheParseNamingTheCap(@TempDir Path dir) throws Exception {
        // 1 MiB: a strings cap of 256 KiB, four pages of 64 KiB; 200 strings of 4 KiB need 14.
        Path bomb = HprofBombs.manyStrings(dir.resolve("strings.hprof.gz"), 200, 4096);

        HeapSummary summary = analyze(bomb, ONE_MIB);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.STRINGS);
        assertThat(summary.truncationReason())
                .startsWith("strings cap reached: the dump's strings need more than 262144 bytes");
    }

    @Test
    void idsPastTheIdsCapStopTheParseNamingTheCap(@TempDir Path dir) throws Exception {
        // Strings of 8 bytes: 10 each in the arena, 24 to 72 each in the identifier table.
        Path bomb = HprofBombs.manyStrings(dir.resolve("ids.hprof.gz"), 40_000, 8);

        HeapSummary summary = analyze(bomb, ONE_MIB);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.IDS);
    }

    @Test
    void classesPastTheClassesCapStopTheParseKeepingWhatWasCounted(@TempDir Path dir)
            throws Exception {
        // 1 MiB: a classes cap of 256 KiB, about 1,300 classes of 192 bytes.
        Path bomb = HprofBombs.manyClasses(dir.resolve("classes.hprof.gz"), 5_000, 40, 1);

        HeapSummary summary = analyze(bomb, ONE_MIB);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.CLASSES);
        assertThat(summary.totalObjects()).isBetween(500L, 1_400L);
        assertThat(summary.classCount()).isEqualTo(summary.totalObjects());
        assertThat(summary.topClasses()).hasSize(AnalysisSettings.DEFAULT_TOP_CLASSES);
    }

    @Test
    void classDumpsOfManyFieldsCountTheirFieldTypesAgainstTheClassesCap(@TempDir Path dir)
            throws Exception {
        // 65,535 fields take 64 KiB a class: four fill the 256 KiB cap.
        Path bomb = HprofBombs.manyClasses(dir.resolve("wide.hprof.gz"), 10, 40, 65_535);

        HeapSummary summary = analyze(bomb, ONE_MIB);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.CLASSES);
        assertThat(summary.totalObjects()).isLessThan(4);
    }

    @Test
    void instancesOfDistinctUnknownClassesCountAgainstTheClassesCap() throws Exception {
        SyntheticHprof dump =
                new SyntheticHprof(8)
                        .utf8(1, "com/example/Point")
                        .loadClass(POINT, 1)
                        .beginHeap()
                        .classDump(POINT, 0, (byte) HprofType.INT, (byte) HprofType.INT);
        for (int i = 0; i < 100; i++) {
            dump.instance(0x1_0000_0000L + 16L * i, POINT, 8);
        }
        // Every further object names a class id never declared: each is a class to keep.
        for (int i = 0; i < 5_000; i++) {
            dump.instance(0x2_0000_0000L + 16L * i, 0x9000_0000L + 8L * i, 0);
        }
        byte[] bytes = dump.endHeap(0x1c).heapDumpEnd().toByteArray();

        HeapSummary summary = analyze(new ByteArrayInputStream(bytes), ONE_MIB);

        assertThat(summary.truncated()).isTrue();
        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.CLASSES);
        assertThat(summary.topClasses())
                .extracting(ClassStat::className, ClassStat::instances)
                .contains(org.assertj.core.groups.Tuple.tuple("com.example.Point", 100L));
    }

    @Test
    void readsTheWholeStreamAfterACap(@TempDir Path dir) throws Exception {
        Path bomb = HprofBombs.manyStrings(dir.resolve("strings.hprof.gz"), 2_000, 4096);
        ByteArrayInputStream source = new ByteArrayInputStream(Files.readAllBytes(bomb));

        HeapSummary summary = analyze(source, ONE_MIB);

        assertThat(AnalysisCap.named(summary.truncationReason())).contains(AnalysisCap.STRINGS);
        assertThat(source.available()).isZero();
    }
}
