package dev.dumpflow.functions.notify;

import dev.dumpflow.events.HeapSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "What filled the heap", as lines fit for a message: totals, the top classes with counts and
 * bytes, the largest arrays. A minimal renderer of {@link HeapSummary} for notifications; the
 * channels cut it further to their own limits.
 */
final class HeapSummaryText {

    /** Classes shown; the analysis may carry more. */
    static final int TOP_CLASSES = 20;

    /** Arrays shown. */
    static final int LARGEST_ARRAYS = 5;

    private HeapSummaryText() {}

    static Notification.Section section(HeapSummary summary) {
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "%,d objects, %s shallow, %,d classes%s",
                        summary.totalObjects(),
                        HumanBytes.format(summary.totalBytes()),
                        summary.classCount(),
                        summary.truncated()
                                ? " (PARTIAL: the dump was cut short"
                                        + (summary.truncationReason() == null
                                                ? ")"
                                                : ": " + summary.truncationReason() + ")")
                                : ""));
        if (!summary.topClasses().isEmpty()) {
            lines.add("top classes by shallow bytes:");
            int rank = 1;
            for (HeapSummary.ClassStat stat :
                    summary.topClasses()
                            .subList(0, Math.min(TOP_CLASSES, summary.topClasses().size()))) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "%3d. %10s %,13d  %s",
                                rank++,
                                HumanBytes.format(stat.bytes()),
                                stat.instances(),
                                stat.className()));
            }
            if (summary.topClasses().size() > TOP_CLASSES) {
                lines.add(
                        "     … and %d more classes in the index record"
                                .formatted(summary.topClasses().size() - TOP_CLASSES));
            }
        }
        if (!summary.largestArrays().isEmpty()) {
            lines.add("largest arrays:");
            for (HeapSummary.ArrayStat array :
                    summary.largestArrays()
                            .subList(0, Math.min(LARGEST_ARRAYS, summary.largestArrays().size()))) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "     %10s  %s of length %,d",
                                HumanBytes.format(array.bytes()),
                                array.className(),
                                array.length()));
            }
        }
        return new Notification.Section("What filled the heap", lines);
    }
}
