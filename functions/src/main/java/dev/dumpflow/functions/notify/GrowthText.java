package dev.dumpflow.functions.notify;

import dev.dumpflow.events.Growth;
import dev.dumpflow.events.Growth.ClassGrowth;
import dev.dumpflow.functions.HumanBytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a dump's {@link Growth} for people as plain text, which every channel escapes and cuts to
 * its own limits: a one-line summary for the facts, and a table for a section. Leak suspects, the
 * classes that grew at every step of the last three dumps, come first in both.
 */
final class GrowthText {

    /** Classes the one-line summary names. */
    static final int SUMMARY_CLASSES = 3;

    private static final Comparator<ClassGrowth> SUSPECTS_FIRST =
            Comparator.comparing((ClassGrowth c) -> !c.monotonic())
                    .thenComparing(Comparator.comparingLong(ClassGrowth::bytesDelta).reversed());

    private GrowthText() {}

    /**
     * One line, for example {@code since the previous dump 2 h ago: byte[] +1.2 GiB (+310,000),
     * java.util.HashMap$Node +94.6 MiB (+3,100,000)}.
     */
    static String summary(Growth growth) {
        List<ClassGrowth> classes = ordered(growth);
        String since = "since the previous dump " + ago(growth.interval()) + " ago";
        if (classes.isEmpty()) {
            return since + ": no class grew";
        }
        return since
                + ": "
                + classes.stream()
                        .limit(SUMMARY_CLASSES)
                        .map(
                                c ->
                                        "%s %s (%s)"
                                                .formatted(
                                                        HeapSummaryText.shortName(c.className()),
                                                        bytes(c.bytesDelta()),
                                                        count(c.instancesDelta())))
                        .collect(Collectors.joining(", "));
    }

    /** The section's lines: what was compared, the leak suspects, and the table of growth. */
    static List<String> lines(Growth growth) {
        List<ClassGrowth> classes = ordered(growth);
        List<String> out = new ArrayList<>();
        out.add(
                "Since the previous dump %s ago (%s, closed %s)"
                        .formatted(
                                ago(growth.interval()),
                                growth.previousDumpId(),
                                growth.previousClosedAt()));
        List<String> suspects =
                classes.stream()
                        .filter(ClassGrowth::monotonic)
                        .map(c -> HeapSummaryText.shortName(c.className()))
                        .toList();
        if (!suspects.isEmpty()) {
            out.add(
                    "Leak suspects, grown at every step of the last three dumps: "
                            + String.join(", ", suspects));
        }
        out.add("");
        if (classes.isEmpty()) {
            out.add("No class grew.");
            return out;
        }
        out.add(String.format(Locale.ROOT, "%11s %14s  %s", "+bytes", "+instances", "class"));
        for (ClassGrowth c : classes) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "%11s %14s  %s%s",
                            bytes(c.bytesDelta()),
                            count(c.instancesDelta()),
                            HeapSummaryText.shortName(c.className()),
                            c.monotonic() ? "  (leak suspect)" : ""));
        }
        return out;
    }

    private static List<ClassGrowth> ordered(Growth growth) {
        return growth.classes().stream().sorted(SUSPECTS_FIRST).toList();
    }

    /** {@code +1.2 GiB}, {@code -512 B}. */
    static String bytes(long delta) {
        return (delta < 0 ? "-" : "+") + HumanBytes.format(Math.abs(delta));
    }

    private static String count(long delta) {
        return String.format(Locale.ROOT, "%+,d", delta);
    }

    /** The two largest units of a duration: {@code 2 h}, {@code 1 d 3 h}, {@code 45 min}. */
    static String ago(Duration interval) {
        long seconds = interval.toSeconds();
        long[] amounts = {
            seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60
        };
        String[] units = {"d", "h", "min", "s"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < amounts.length && parts.size() < 2; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + " " + units[i]);
            } else if (!parts.isEmpty()) {
                break;
            }
        }
        return parts.isEmpty() ? "0 s" : String.join(" ", parts);
    }
}
