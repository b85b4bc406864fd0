package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The analyzer against a real JVM with a known allocation profile and its own histogram. */
class HprofAnalyzerAgainstJvmTest {

    /**
     * CDS keeps mirrors of archived classes not yet loaded in the heap; jcmd counts them, the
     * dumper leaves them out, so this one class cannot match under CDS (see the -Xshare:off runs in
     * {@link LayoutInferenceAgainstJvmTest}).
     */
    private static final String CLASS_CLASS = "java.lang.Class";

    private static ProfiledJvmDumps.Snapshot snapshot;
    private static HeapSummary summary;
    private static Map<String, ClassStat> byName;

    @BeforeAll
    static void dumpTheProfiledJvm() throws Exception {
        snapshot = ProfiledJvmDumps.defaultJvm();
        summary = ProfiledJvmDumps.analyze(snapshot.plain(), everyClass());
        byName =
                summary.topClasses().stream()
                        .collect(Collectors.toMap(ClassStat::className, Function.identity()));
    }

    static AnalysisSettings everyClass() {
        return AnalysisSettings.defaults().withTopClasses(100000);
    }

    @Test
    void countsOfTheTop20ClassesEqualTheJvmsOwnHistogram() {
        for (JcmdHistogram.Row row : snapshot.histogram().top(20)) {
            if (!row.className().equals(CLASS_CLASS)) {
                assertThat(byName.get(row.className()))
                        .as(row.className())
                        .isNotNull()
                        .extracting(ClassStat::instances)
                        .isEqualTo(row.instances());
            }
        }
    }

    @Test
    void bytesOfTheTop20InstanceClassesAndArraysEqualTheJvmsOwnHistogram() {
        for (JcmdHistogram.Row row : snapshot.histogram().top(20)) {
            if (!row.className().equals(CLASS_CLASS)) {
                assertThat(byName.get(row.className()).bytes())
                        .as(row.className())
                        .isEqualTo(row.bytes());
            }
        }
    }

    @Test
    void everyClassOfTheDumpMatchesTheHistogramExceptDormantMirrors() {
        JcmdHistogram.Row classRow = snapshot.histogram().rows().get(CLASS_CLASS);
        assertThat(byName.get(CLASS_CLASS).instances()).isLessThanOrEqualTo(classRow.instances());
        for (ClassStat stat : byName.values()) {
            if (!stat.className().equals(CLASS_CLASS)) {
                JcmdHistogram.Row row = snapshot.histogram().rows().get(stat.className());
                assertThat(row).as(stat.className()).isNotNull();
                assertThat(new long[] {stat.instances(), stat.bytes()})
                        .as(stat.className())
                        .containsExactly(row.instances(), row.bytes());
            }
        }
    }

    @Test
    void theFullHistogramHoldsEveryClassAsTheJvmCountsItWhileTheSummaryKeepsItsTop()
            throws Exception {
        HeapAnalysis analysis =
                ProfiledJvmDumps.analysis(snapshot.plain(), AnalysisSettings.defaults());
        ClassHistogram histogram = analysis.histogram();
        assertThat(analysis.summary().topClasses()).hasSize(20);
        assertThat(histogram.classes()).hasSizeGreaterThan(100);
        assertThat(histogram.classes().subList(0, 20))
                .extracting(ClassStat::bytes)
                .isEqualTo(analysis.summary().topClasses().stream().map(ClassStat::bytes).toList());
        for (ClassStat stat : histogram.classes()) {
            if (!stat.className().equals(CLASS_CLASS)) {
                JcmdHistogram.Row row = snapshot.histogram().rows().get(stat.className());
                assertThat(row).as(stat.className()).isNotNull();
                assertThat(new long[] {stat.instances(), stat.bytes()})
                        .as(stat.className())
                        .containsExactly(row.instances(), row.bytes());
            }
        }
        assertThat(histogram.byName().keySet())
                .containsAll(
                        snapshot.histogram().rows().keySet().stream()
                                .filter(name -> !name.equals(CLASS_CLASS))
                                .filter(
                                        name ->
                                                snapshot.histogram().rows().get(name).instances()
                                                        > 0)
                                .toList());
    }

    @Test
    void countsTheDesignedAllocationsExactly() {
        String payload = AllocationProfile.Payload.class.getName();
        assertThat(byName.get(payload).instances()).isEqualTo(AllocationProfile.PAYLOADS);
        assertThat(byName.get(AllocationProfile.Tail.class.getName()).instances())
                .isEqualTo(AllocationProfile.POINTERS / 2);
        assertThat(summary.largestArrays().getFirst())
                .isEqualTo(
                        new HeapSummary.ArrayStat(
                                "byte[]",
                                AllocationProfile.BIG_BYTES,
                                // 16-byte header, 3,000,001 bytes, aligned to 8
                                3_000_024));
        assertThat(summary.truncated()).isFalse();
        assertThat(summary.gcRoots()).containsKeys("java-frame", "thread-object", "sticky-class");
    }

    @Test
    void infersTheDefaultLayoutOfA64BitJvm() {
        assertThat(summary.layout()).isEqualTo(new HeapSummary.HeapLayout(8, 4, 12, 16, 8, true));
    }

    @Test
    void gzippedDumpGivesTheSameSummaryAsThePlainOne() throws Exception {
        assertThat(ProfiledJvmDumps.analyze(snapshot.gzipped(), everyClass())).isEqualTo(summary);
    }

    @Test
    void readsEveryMemberOfAConcatenatedGzipStream() throws Exception {
        byte[] plain = Files.readAllBytes(snapshot.plain());
        int half = plain.length / 2;
        byte[] first = gzip(Arrays.copyOfRange(plain, 0, half));
        byte[] second = gzip(Arrays.copyOfRange(plain, half, plain.length));
        try (InputStream in =
                new SequenceInputStream(
                        new java.io.ByteArrayInputStream(first),
                        new java.io.ByteArrayInputStream(second))) {
            assertThat(
                            new HprofAnalyzer(everyClass())
                                    .analyze(in, DumpFormat.HPROF_GZ)
                                    .map(HeapAnalysis::summary))
                    .contains(summary);
        }
    }

    @Test
    void aDumpLabelledPlainButGzippedIsStillRead() throws Exception {
        try (InputStream in = Files.newInputStream(snapshot.gzipped())) {
            assertThat(
                            new HprofAnalyzer(everyClass())
                                    .analyze(in, DumpFormat.HPROF)
                                    .map(HeapAnalysis::summary))
                    .contains(summary);
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
