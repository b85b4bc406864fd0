package dev.dumpflow.functions.analysis;

import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.HeapSummary.ArrayStat;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link HeapSummary} for people: a plain-text table for e-mail and consoles, and Slack
 * {@code mrkdwn} sections that each fit Slack's limit on a section's text.
 */
public final class HeapSummaryText {

    /** Slack rejects a section block whose text is longer than this. */
    public static final int SLACK_SECTION_LIMIT = 3_000;

    /** Longer class names are shortened, keeping their end, which says most. */
    static final int LONGEST_NAME = 100;

    private static final String FENCE = "```";

    private HeapSummaryText() {}

    /** The summary as a plain-text table: headline, top classes, largest arrays, GC roots. */
    public static String table(HeapSummary summary) {
        StringBuilder out = new StringBuilder();
        out.append(headline(summary)).append('\n');
        if (summary.truncated()) {
            out.append(partial(summary)).append('\n');
        }
        out.append('\n').append("Top classes by shallow size\n");
        classLines(summary).forEach(line -> out.append(line).append('\n'));
        if (!summary.largestArrays().isEmpty()) {
            out.append('\n').append("Largest arrays\n");
            arrayLines(summary).forEach(line -> out.append(line).append('\n'));
        }
        if (!summary.gcRoots().isEmpty()) {
            out.append('\n').append(roots(summary)).append('\n');
        }
        return out.toString();
    }

    /**
     * The summary as Slack {@code mrkdwn} section texts, in order, each at most {@link
     * #SLACK_SECTION_LIMIT} characters: the headline, then the tables as code blocks, split between
     * lines where they would not fit one section.
     */
    public static List<String> slackSections(HeapSummary summary) {
        List<String> sections = new ArrayList<>();
        String head = "*" + slack(headline(summary)) + "*";
        if (summary.truncated()) {
            head += "\n:warning: " + slack(partial(summary));
        }
        sections.add(fit(head));
        codeBlocks("Top classes by shallow size", classLines(summary), sections);
        if (!summary.largestArrays().isEmpty()) {
            codeBlocks("Largest arrays", arrayLines(summary), sections);
        }
        if (!summary.gcRoots().isEmpty()) {
            sections.add(fit(slack(roots(summary))));
        }
        return sections;
    }

    private static void codeBlocks(String title, List<String> lines, List<String> sections) {
        String opening = "*" + title + "*\n" + FENCE + "\n";
        StringBuilder block = new StringBuilder(opening);
        boolean empty = true;
        for (String line : lines) {
            String escaped = slack(line);
            if (!empty
                    && block.length() + escaped.length() + 1 + FENCE.length()
                            > SLACK_SECTION_LIMIT) {
                sections.add(block.append(FENCE).toString());
                block = new StringBuilder(FENCE + "\n");
            }
            block.append(escaped).append('\n');
            empty = false;
        }
        sections.add(block.append(FENCE).toString());
    }

    private static String headline(HeapSummary summary) {
        var layout = summary.layout();
        return String.format(
                Locale.ROOT,
                "Heap: %s in %,d objects of %,d classes (%d-byte references, %d/%d-byte headers,"
                        + " %d-byte alignment%s)",
                bytes(summary.totalBytes()),
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
        for (ClassStat stat : summary.topClasses()) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%10s %,13d  %s",
                            bytes(stat.bytes()),
                            stat.instances(),
                            shortName(stat.className())));
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
                            bytes(array.bytes()),
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

    /** Bytes in binary units with one decimal, as people compare heap sizes. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String shortName(String name) {
        return name.length() <= LONGEST_NAME
                ? name
                : "…" + name.substring(name.length() - LONGEST_NAME + 1);
    }

    /** Escapes the three characters Slack's mrkdwn reserves. */
    private static String slack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fit(String text) {
        return text.length() <= SLACK_SECTION_LIMIT
                ? text
                : text.substring(0, SLACK_SECTION_LIMIT - 1) + "…";
    }
}
