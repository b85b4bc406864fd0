package dev.dumpflow.functions.notify;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.functions.HumanBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link HeapSummary} for people, as plain-text lines that every notification channel
 * (console, Slack, e-mail) carries; each channel escapes and cuts them to its own limits.
 */
public final class HeapSummaryText {

    /** Classes a message lists; the index record keeps every class the summary holds. */
    public static final int MESSAGE_CLASSES = 20;

    /** Longer class names are shortened, keeping their end, which says most. */
    static final int LONGEST_NAME = 100;

    private HeapSummaryText() {}

    /**
     * The summary as lines of plain text: headline, partial-figures warning, top classes, largest
     * arrays, GC roots. Channels wrap and cut them to their own limits.
     */
    public static List<String> lines(HeapSummary summary) {
        List<String> out = new ArrayList<>();
        out.add(headline(summary));
        if (summary.truncated()) {
            out.add(partial(summary));
        }
        out.add("");
        out.add("Top classes by shallow size");
        out.addAll(classLines(summary));
        if (!summary.largestArrays().isEmpty()) {
            out.add("");
            out.add("Largest arrays");
            out.addAll(arrayLines(summary));
        }
        if (!summary.gcRoots().isEmpty()) {
            out.add("");
            out.add(roots(summary));
        }
        return out;
    }

    /** The summary as one plain-text table, for consoles and logs. */
    public static String table(HeapSummary summary) {
        return String.join("\n", lines(summary)) + "\n";
    }

    private static String headline(HeapSummary summary) {
        var layout = summary.layout();
        return String.format(
                Locale.ROOT,
                "Heap: %s in %,d objects of %,d classes (%d-byte references, %d/%d-byte headers,"
                        + " %d-byte alignment%s)",
                HumanBytes.format(summary.totalBytes()),
                summary.totalObjects(),
                summary.classCount(),
                layout.referenceSize(),
                layout.objectHeaderSize(),
                layout.arrayHeaderSize(),
                layout.alignment(),
                layout.inferred() ? ", inferred" : "");
    }

    private static String partial(HeapSummary summary) {
        return "Partial figures: " + summary.truncationReason();
    }

    private static List<String> classLines(HeapSummary summary) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%10s %13s  %s", "bytes", "instances", "class"));
        List<ClassStat> top = summary.topClasses();
        for (ClassStat stat : top.subList(0, Math.min(MESSAGE_CLASSES, top.size()))) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%10s %,13d  %s",
                            HumanBytes.format(stat.bytes()),
                            stat.instances(),
                            shortName(stat.className())));
        }
        if (top.size() > MESSAGE_CLASSES) {
            lines.add(
                    "     … and %d more classes in the index record"
                            .formatted(top.size() - MESSAGE_CLASSES));
        }
        return lines;
    }

    private static List<String> arrayLines(HeapSummary summary) {
        List<String> lines = new ArrayList<>();
        for (ArrayStat array : summary.largestArrays()) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%10s  %s of length %,d",
                            HumanBytes.format(array.bytes()),
                            shortName(array.className()),
                            array.length()));
        }
        return lines;
    }

    private static String roots(HeapSummary summary) {
        return "GC roots: "
                + summary.gcRoots().entrySet().stream()
                        .sorted(java.util.Map.Entry.comparingByKey())
                        .map(
                                e ->
                                        e.getKey()
                                                + " "
                                                + String.format(Locale.ROOT, "%,d", e.getValue()))
                        .collect(Collectors.joining(", "));
    }

    static String shortName(String name) {
        return name.length() <= LONGEST_NAME
                ? name
                : "…" + name.substring(name.length() - LONGEST_NAME + 1);
    }
}
