package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What filled the heap: the summary of a one-pass HPROF analysis.
 *
 * @param truncated whether the dump ended early or was corrupt, so that the figures are partial
 * @param truncationReason what ended the parse, when truncated
 * @param totalObjects instances and arrays counted
 * @param totalBytes their shallow size, as the JVM counts it under {@link #layout}
 * @param classCount how many classes had at least one instance
 * @param topClasses the classes with the most shallow bytes, largest first
 * @param largestArrays the largest single arrays, largest first
 * @param gcRoots GC-root counts by kind, for example {@code "java-frame"}
 * @param layout the object layout used to size objects
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeapSummary(
        boolean truncated,
        String truncationReason,
        long totalObjects,
        long totalBytes,
        long classCount,
        List<ClassStat> topClasses,
        List<ArrayStat> largestArrays,
        Map<String, Long> gcRoots,
        HeapLayout layout) {

    public HeapSummary {
        Checks.nonNegative(totalObjects, "totalObjects");
        Checks.nonNegative(totalBytes, "totalBytes");
        Checks.nonNegative(classCount, "classCount");
        topClasses = topClasses == null ? List.of() : List.copyOf(topClasses);
        largestArrays = largestArrays == null ? List.of() : List.copyOf(largestArrays);
        gcRoots = gcRoots == null ? Map.of() : Map.copyOf(gcRoots);
        Checks.nonNull(layout, "layout");
    }

    /**
     * One line of the class histogram.
     *
     * @param className the class name as Java prints it, for example {@code byte[]} or {@code
     *     java.lang.String}
     * @param instances instance count
     * @param bytes shallow bytes of all instances
     */
    public record ClassStat(String className, long instances, long bytes) {
        public ClassStat {
            Checks.nonBlank(className, "className");
            Checks.nonNegative(instances, "instances");
            Checks.nonNegative(bytes, "bytes");
        }
    }

    /**
     * One large array.
     *
     * @param className the array's class, for example {@code byte[]}
     * @param length its element count
     * @param bytes its shallow size
     */
    public record ArrayStat(String className, long length, long bytes) {
        public ArrayStat {
            Checks.nonBlank(className, "className");
            Checks.nonNegative(length, "length");
            Checks.nonNegative(bytes, "bytes");
        }
    }

    /**
     * How objects were sized. HPROF records neither compressed references nor header sizes, so
     * these are inferred from the dump unless configured.
     *
     * @param idSize the identifier size the dump declares
     * @param referenceSize bytes per reference field and object-array element
     * @param objectHeaderSize bytes of an instance header
     * @param arrayHeaderSize bytes of an array header, length included
     * @param alignment object alignment in bytes
     * @param inferred whether the layout was inferred from the dump rather than configured
     */
    public record HeapLayout(
            int idSize,
            int referenceSize,
            int objectHeaderSize,
            int arrayHeaderSize,
            int alignment,
            boolean inferred) {
        public HeapLayout {
            if (idSize != 4 && idSize != 8) {
                throw new IllegalArgumentException("idSize must be 4 or 8, was " + idSize);
            }
            if (referenceSize != 4 && referenceSize != 8) {
                throw new IllegalArgumentException(
                        "referenceSize must be 4 or 8, was " + referenceSize);
            }
            if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException(
                        "alignment must be a power of two, was " + alignment);
            }
        }
    }
}
