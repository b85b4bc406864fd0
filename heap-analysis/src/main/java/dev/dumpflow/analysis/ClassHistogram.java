package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every class of a dump with its instances and shallow bytes, largest first: the full histogram of
 * which {@link dev.dumpflow.events.HeapSummary#topClasses()} is the head. Classes of one name
 * loaded by several class loaders are one entry, as {@code jcmd GC.class_histogram} readers compare
 * them, so that two dumps' histograms can be subtracted name by name. It lives beside the summary,
 * never inside it: events carry the summary, and a histogram of 100,000 classes would bloat them.
 *
 * @param classes one entry per class name, largest shallow bytes first, then by name
 */
public record ClassHistogram(List<ClassStat> classes) {

    private static final Comparator<ClassStat> LARGEST_FIRST =
            Comparator.comparingLong(ClassStat::bytes)
                    .reversed()
                    .thenComparing(ClassStat::className);

    public ClassHistogram {
        classes = List.copyOf(classes);
    }

    /** The histogram of {@code stats}, merging entries of one class name and sorting them. */
    public static ClassHistogram of(Collection<ClassStat> stats) {
        Map<String, ClassStat> byName = new LinkedHashMap<>();
        for (ClassStat stat : stats) {
            byName.merge(
                    stat.className(),
                    stat,
                    (a, b) ->
                            new ClassStat(
                                    a.className(),
                                    a.instances() + b.instances(),
                                    a.bytes() + b.bytes()));
        }
        List<ClassStat> sorted = new ArrayList<>(byName.values());
        sorted.sort(LARGEST_FIRST);
        return new ClassHistogram(sorted);
    }

    /** The entries by class name. */
    public Map<String, ClassStat> byName() {
        Map<String, ClassStat> byName = new LinkedHashMap<>(classes.size() * 2);
        for (ClassStat stat : classes) {
            byName.put(stat.className(), stat);
        }
        return byName;
    }
}
