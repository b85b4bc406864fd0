package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    @Test
    void classesOfOneNameFromSeveralLoadersBecomeOneEntryAndTheLargestComeFirst() {
        ClassHistogram histogram =
                ClassHistogram.of(
                        List.of(
                                new ClassStat("com.example.Session", 10, 240),
                                new ClassStat("byte[]", 3, 9_000),
                                new ClassStat("com.example.Session", 5, 120),
                                new ClassStat("a.Tie", 1, 360),
                                new ClassStat("java.lang.String", 30, 720)));

        assertThat(histogram.classes())
                .containsExactly(
                        new ClassStat("byte[]", 3, 9_000),
                        new ClassStat("java.lang.String", 30, 720),
                        new ClassStat("a.Tie", 1, 360),
                        new ClassStat("com.example.Session", 15, 360));
        assertThat(histogram.byName().get("com.example.Session").instances()).isEqualTo(15);
    }
}
