package dev.dumpflow.analysis.command;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A heap summary for a person at a terminal: the figures a notification carries, in exact bytes and
 * with each class's share of the heap, every listed class and every GC-root kind.
 */
public final class HeapReport {

    private HeapReport() {}

    /** The summary as plain text, one line per row, ending with a newline. */
    public static String text(HeapSummary summary) {
        List<String> out = new ArrayList<>();
        var layout = summary.layout();
        out.add(
                format(
                        "Heap: %,d bytes in %,d objects of %,d classes",
                        summary.totalBytes(), summary.totalObjects(), summary.classCount()));
        out.add(
                format(
                        "Layout: %d-byte ids, %d-byte references, %d-byte instance and %d-byte"
                                + " array headers, %d-byte alignment (%s)",
                        layout.idSize(),
                        layout.referenceSize(),
                        layout.objectHeaderSize(),
                        layout.arrayHeaderSize(),
                        layout.alignment(),
                        layout.inferred() ? "inferred from the dump" : "as configured"));
        if (summary.truncated()) {
            out.add("Partial figures: " + summary.truncationReason());
        }
        out.add("");
        out.add(format("Top %d classes by shallow size", summary.topClasses().size()));
        out.add(format("%15s %6s %13s  %s", "bytes", "heap", "instances", "class"));
        for (ClassStat stat : summary.topClasses()) {
            out.add(
                    format(
                            "%,15d %5.1f%% %,13d  %s",
                            stat.bytes(),
                            share(stat.bytes(), summary.totalBytes()),
                            stat.instances(),
                            stat.className()));
        }
        if (!summary.largestArrays().isEmpty()) {
            out.add("");
            out.add("Largest arrays");
            for (ArrayStat array : summary.largestArrays()) {
                out.add(
                        format(
                                "%,15d  %s of length %,d",
                                array.bytes(), array.className(), array.length()));
            }
        }
        if (!summary.gcRoots().isEmpty()) {
            out.add("");
            out.add("GC roots");
            summary.gcRoots().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.add(format("%,15d  %s", e.getValue(), e.getKey())));
        }
        return String.join("\n", out) + "\n";
    }

    private static double share(long bytes, long total) {
        return total == 0 ? 0 : 100.0 * bytes / total;
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
