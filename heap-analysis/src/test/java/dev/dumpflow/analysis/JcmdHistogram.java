package dev.dumpflow.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code jcmd <pid> GC.class_histogram}, with class names normalised to the form
 * people read ({@code [B} to {@code byte[]}), independently of the code under test.
 */
public record JcmdHistogram(Map<String, Row> rows) {

    /** One histogram line. */
    public record Row(String className, long instances, long bytes) {}

    private static final String FILLER_ARRAY = "jdk.internal.vm.FillerElement[]";

    private static final Pattern LINE =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

    static JcmdHistogram parse(String output) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                String name = normalise(m.group(3));
                if (name.equals(FILLER_ARRAY)) {
                    // HotSpot dumps its filler arrays as int[]: HPROF cannot tell them apart.
                    name = "int[]";
                }
                Row row = new Row(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                rows.merge(
                        name,
                        row,
                        (a, b) ->
                                new Row(a.className, a.instances + b.instances, a.bytes + b.bytes));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no histogram in: " + output);
        }
        return new JcmdHistogram(rows);
    }

    /** The first {@code n} rows, largest bytes first, as jcmd ranks them. */
    public List<Row> top(int n) {
        return rows.values().stream().limit(n).toList();
    }

    static String normalise(String jvmName) {
        int dims = 0;
        while (jvmName.charAt(dims) == '[') {
            dims++;
        }
        String element = jvmName.substring(dims);
        if (dims > 0) {
            element =
                    switch (element) {
                        case "Z" -> "boolean";
                        case "C" -> "char";
                        case "F" -> "float";
                        case "D" -> "double";
                        case "B" -> "byte";
                        case "S" -> "short";
                        case "I" -> "int";
                        case "J" -> "long";
                        default -> element.substring(1, element.length() - 1);
                    };
        }
        return element + "[]".repeat(dims);
    }
}
