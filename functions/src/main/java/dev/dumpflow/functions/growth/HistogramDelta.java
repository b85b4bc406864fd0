package dev.dumpflow.functions.growth;

import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.Growth.ClassGrowth;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The exact difference of two full class histograms, name by name: a class missing from one side
 * counts as zero there, so a class that appeared since the previous dump shows with all it holds.
 */
final class HistogramDelta {

    private static final ClassStat NONE = new ClassStat("-", 0, 0);

    private static final Comparator<ClassGrowth> MOST_BYTES_FIRST =
            Comparator.comparingLong(ClassGrowth::bytesDelta)
                    .reversed()
                    .thenComparing(ClassGrowth::className);

    private HistogramDelta() {}

    /**
     * The classes that grew in shallow bytes from {@code previous} to {@code now}, at most {@code
     * top} of them, most growth first.
     *
     * @param beforePrevious the dump before {@code previous}, or null: with it, a class is {@link
     *     ClassGrowth#monotonic()} when it grew at both steps
     */
    static List<ClassGrowth> grown(
            ClassHistogram now, ClassHistogram previous, ClassHistogram beforePrevious, int top) {
        Map<String, ClassStat> was = previous.byName();
        Map<String, ClassStat> wasBefore = beforePrevious == null ? null : beforePrevious.byName();
        List<ClassGrowth> grown = new ArrayList<>();
        for (ClassStat is : now.classes()) {
            ClassStat then = was.getOrDefault(is.className(), NONE);
            long bytesDelta = is.bytes() - then.bytes();
            if (bytesDelta <= 0) {
                continue;
            }
            boolean monotonic =
                    wasBefore != null
                            && then.bytes() > wasBefore.getOrDefault(is.className(), NONE).bytes();
            grown.add(
                    new ClassGrowth(
                            is.className(),
                            is.instances() - then.instances(),
                            bytesDelta,
                            monotonic));
        }
        grown.sort(MOST_BYTES_FIRST);
        return List.copyOf(grown.subList(0, Math.min(top, grown.size())));
    }
}
