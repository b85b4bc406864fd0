package dev.dumpflow.functions.growth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.Growth.ClassGrowth;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramDeltaTest {

    private static ClassHistogram histogram(ClassStat... stats) {
        return ClassHistogram.of(List.of(stats));
    }

    @Test
    void listsExactDifferencesOfEveryClassThatGrewMostBytesFirstIncludingNewOnes() {
        ClassHistogram previous =
                histogram(
                        new ClassStat("byte[]", 1_000, 1_000_000),
                        new ClassStat("java.lang.String", 500, 12_000),
                        new ClassStat("long[]", 10, 80_000),
                        new ClassStat("gone.Class", 7, 700));
        ClassHistogram now =
                histogram(
                        new ClassStat("byte[]", 1_200, 5_000_000),
                        new ClassStat("java.lang.String", 500, 12_000),
                        new ClassStat("long[]", 8, 90_000),
                        new ClassStat("com.example.Session", 300, 7_200));

        assertThat(HistogramDelta.grown(now, previous, null, 20))
                .containsExactly(
                        new ClassGrowth("byte[]", 200, 4_000_000, false),
                        new ClassGrowth("long[]", -2, 10_000, false),
                        new ClassGrowth("com.example.Session", 300, 7_200, false));
    }

    @Test
    void keepsOnlyTheTopClassesByBytesGrown() {
        ClassHistogram previous = histogram(new ClassStat("a.A", 1, 16));
        ClassHistogram now =
                histogram(
                        new ClassStat("a.A", 2, 32),
                        new ClassStat("b.B", 1, 1_000),
                        new ClassStat("c.C", 1, 500));

        assertThat(HistogramDelta.grown(now, previous, null, 2))
                .extracting(ClassGrowth::className)
                .containsExactly("b.B", "c.C");
    }

    @Test
    void marksAsMonotonicOnlyTheClassesThatGrewAtBothStepsOfThreeDumps() {
        ClassHistogram first =
                histogram(
                        new ClassStat("leak.Entry", 100, 2_400),
                        new ClassStat("cache.Page", 10, 10_000),
                        new ClassStat("byte[]", 5, 5_000));
        ClassHistogram second =
                histogram(
                        new ClassStat("leak.Entry", 200, 4_800),
                        new ClassStat("cache.Page", 5, 5_000),
                        new ClassStat("byte[]", 5, 5_000),
                        new ClassStat("fresh.Thing", 1, 16));
        ClassHistogram third =
                histogram(
                        new ClassStat("leak.Entry", 300, 7_200),
                        new ClassStat("cache.Page", 20, 20_000),
                        new ClassStat("byte[]", 6, 6_000),
                        new ClassStat("fresh.Thing", 2, 32));

        assertThat(HistogramDelta.grown(third, second, first, 20))
                .containsExactly(
                        new ClassGrowth("cache.Page", 15, 15_000, false),
                        new ClassGrowth("leak.Entry", 100, 2_400, true),
                        new ClassGrowth("byte[]", 1, 1_000, false),
                        new ClassGrowth("fresh.Thing", 1, 16, true));
        assertThat(HistogramDelta.grown(third, second, null, 20)).noneMatch(ClassGrowth::monotonic);
    }

    @Test
    void aHeapThatOnlyShrankGrewNothing() {
        ClassHistogram previous = histogram(new ClassStat("byte[]", 10, 10_000));
        ClassHistogram now = histogram(new ClassStat("byte[]", 5, 5_000));

        assertThat(HistogramDelta.grown(now, previous, null, 20)).isEmpty();
    }
}
