package dev.dumpflow.analysis;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How an analysis summarises a dump. The layout elements are inferred from each dump's object
 * addresses; set them only for a JVM whose dumps mislead the inference. Values no JVM could have
 * are refused with a message naming the element (in its kebab-case name, as configuration and
 * command lines spell it) and the accepted values.
 *
 * @param topClasses how many classes the summary lists, largest shallow size first
 * @param largestArrays how many of the largest single arrays the summary lists
 * @param referenceSize bytes per reference field and object-array element (4 or 8)
 * @param objectHeaderSize bytes of an instance header (8, 12 or 16)
 * @param arrayHeaderSize bytes of an array header, length included (12, 16, 20 or 24)
 * @param alignment object alignment in bytes (a power of two, 8 to 256)
 * @param memoryBudget the most bytes one analysis holds for the dump's strings, identifiers and
 *     classes, split among them as {@link AnalysisCap} says; from 1 MiB to the smaller of 4 GiB and
 *     half the max heap, so that the analysis never runs the heap out
 */
public record AnalysisSettings(
        int topClasses,
        int largestArrays,
        OptionalInt referenceSize,
        OptionalInt objectHeaderSize,
        OptionalInt arrayHeaderSize,
        OptionalInt alignment,
        long memoryBudget) {

    /** The classes a summary lists unless told otherwise. */
    public static final int DEFAULT_TOP_CLASSES = 20;

    /** The largest arrays a summary lists unless told otherwise. */
    public static final int DEFAULT_LARGEST_ARRAYS = 5;

    /** The smallest memory budget: enough for the tables an analysis starts with. */
    public static final long SMALLEST_MEMORY_BUDGET = 1L << 20;

    /** The largest memory budget: past it a string handle could not address the strings kept. */
    public static final long LARGEST_MEMORY_BUDGET = 4L << 30;

    public AnalysisSettings {
        if (topClasses < 1) {
            throw invalid("top-classes", topClasses, "a positive number");
        }
        if (largestArrays < 0) {
            throw invalid("largest-arrays", largestArrays, "zero or more");
        }
        oneOf("reference-size", referenceSize, Set.of(4, 8));
        oneOf("object-header-size", objectHeaderSize, Set.of(8, 12, 16));
        oneOf("array-header-size", arrayHeaderSize, Set.of(12, 16, 20, 24));
        oneOf("alignment", alignment, Set.of(8, 16, 32, 64, 128, 256));
        if (memoryBudget < SMALLEST_MEMORY_BUDGET || memoryBudget > largestMemoryBudget()) {
            throw new IllegalArgumentException(
                    "memory-budget is "
                            + memoryBudget
                            + " bytes; it must be from "
                            + SMALLEST_MEMORY_BUDGET
                            + " (1 MiB) to "
                            + largestMemoryBudget()
                            + " bytes (the smaller of 4 GiB and half the max heap)");
        }
    }

    /** Twenty classes, five arrays, every layout element inferred, the default memory budget. */
    public static AnalysisSettings defaults() {
        return new AnalysisSettings(
                DEFAULT_TOP_CLASSES,
                DEFAULT_LARGEST_ARRAYS,
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                defaultMemoryBudget(1));
    }

    /**
     * A quarter of the max heap shared by {@code concurrentAnalyses} analyses, within the accepted
     * range: what the other work of a process leaves an analysis safely.
     */
    public static long defaultMemoryBudget(int concurrentAnalyses) {
        long share = Runtime.getRuntime().maxMemory() / 4 / Math.max(1, concurrentAnalyses);
        return Math.clamp(share, SMALLEST_MEMORY_BUDGET, largestMemoryBudget());
    }

    /** The smaller of 4 GiB and half the max heap. */
    public static long largestMemoryBudget() {
        return Math.max(
                SMALLEST_MEMORY_BUDGET,
                Math.min(LARGEST_MEMORY_BUDGET, Runtime.getRuntime().maxMemory() / 2));
    }

    /** These settings listing {@code topClasses} classes. */
    public AnalysisSettings withTopClasses(int topClasses) {
        return new AnalysisSettings(
                topClasses,
                largestArrays,
                referenceSize,
                objectHeaderSize,
                arrayHeaderSize,
                alignment,
                memoryBudget);
    }

    /** These settings with a memory budget of {@code memoryBudget} bytes. */
    public AnalysisSettings withMemoryBudget(long memoryBudget) {
        return new AnalysisSettings(
                topClasses,
                largestArrays,
                referenceSize,
                objectHeaderSize,
                arrayHeaderSize,
                alignment,
                memoryBudget);
    }

    private static void oneOf(String name, OptionalInt value, Set<Integer> accepted) {
        Objects.requireNonNull(value, name);
        if (value.isPresent() && !accepted.contains(value.getAsInt())) {
            throw invalid(name, value.getAsInt(), "one of " + accepted.stream().sorted().toList());
        }
    }

    private static IllegalArgumentException invalid(String name, int value, String accepted) {
        return new IllegalArgumentException(name + " is " + value + "; it must be " + accepted);
    }
}
