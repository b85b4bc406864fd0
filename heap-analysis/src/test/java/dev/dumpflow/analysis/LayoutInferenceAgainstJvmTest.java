package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.HeapSummary.HeapLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layout inference against JVMs started with each object layout HotSpot offers, compared with the
 * JVM's own histogram. CDS is off so that every {@code Class} mirror is in the dump too.
 */
class LayoutInferenceAgainstJvmTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'-Xshare:off',                                        4, 12, 16, 8",
        "'-Xshare:off -XX:-UseCompressedOops',                 8, 12, 16, 8",
        "'-Xshare:off -XX:+UseCompactObjectHeaders',           4,  8, 12, 8",
        "'-Xshare:off -XX:-UseCompressedClassPointers',        4, 16, 20, 8",
        "'-Xshare:off -XX:ObjectAlignmentInBytes=16',          4, 12, 16, 16",
    })
    void infersTheLayoutAndMatchesTheJvmsHistogram(
            String flags, int reference, int header, int arrayHeader, int alignment)
            throws Exception {
        ProfiledJvmDumps.Snapshot snapshot =
                ProfiledJvmDumps.take(Arrays.asList(flags.split(" ")), false);
        HeapSummary summary =
                ProfiledJvmDumps.analyze(
                        snapshot.plain(), HprofAnalyzerAgainstJvmTest.everyClass());

        assertThat(summary.layout())
                .isEqualTo(new HeapLayout(8, reference, header, arrayHeader, alignment, true));
        Map<String, ClassStat> byName =
                summary.topClasses().stream()
                        .collect(Collectors.toMap(ClassStat::className, Function.identity()));
        List<JcmdHistogram.Row> top = snapshot.histogram().top(20);
        for (JcmdHistogram.Row row : top) {
            ClassStat stat = byName.get(row.className());
            assertThat(stat).as(row.className()).isNotNull();
            assertThat(stat.instances()).as(row.className()).isEqualTo(row.instances());
            if (row.className().equals("java.lang.Class")) {
                // Mirrors hold static fields whose HotSpot layout is reproduced only closely.
                assertThat((double) stat.bytes())
                        .as(row.className())
                        .isCloseTo(row.bytes(), within(row.bytes() * 0.005));
            } else {
                assertThat(stat.bytes()).as(row.className()).isEqualTo(row.bytes());
            }
        }
    }
}
