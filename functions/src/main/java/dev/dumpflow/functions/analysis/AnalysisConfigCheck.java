package dev.dumpflow.functions.analysis;

import java.util.OptionalInt;
import java.util.Set;

/** Rejects analysis settings no JVM could have, naming the property and the accepted values. */
final class AnalysisConfigCheck {

    private AnalysisConfigCheck() {}

    static AnalysisConfig checked(AnalysisConfig config) {
        if (config.topClasses() < 1) {
            throw invalid("top-classes", config.topClasses(), "a positive number");
        }
        if (config.largestArrays() < 0) {
            throw invalid("largest-arrays", config.largestArrays(), "zero or more");
        }
        oneOf("reference-size", config.referenceSize(), Set.of(4, 8));
        oneOf("object-header-size", config.objectHeaderSize(), Set.of(8, 12, 16));
        oneOf("array-header-size", config.arrayHeaderSize(), Set.of(12, 16, 20, 24));
        oneOf("alignment", config.alignment(), Set.of(8, 16, 32, 64, 128, 256));
        return config;
    }

    private static void oneOf(String name, OptionalInt value, Set<Integer> accepted) {
        if (value.isPresent() && !accepted.contains(value.getAsInt())) {
            throw invalid(name, value.getAsInt(), "one of " + accepted.stream().sorted().toList());
        }
    }

    private static IllegalArgumentException invalid(String name, int value, String accepted) {
        return new IllegalArgumentException(
                "dumpflow.analysis." + name + " is " + value + "; it must be " + accepted);
    }
}
