package dev.dumpflow.analysis;

import dev.dumpflow.events.HeapSummary;
import java.util.Objects;

/**
 * What one analysis of a dump found: the summary that events carry, and the full class histogram
 * that only the archive keeps (in the bucket, for growth between dumps).
 *
 * @param summary the summary: totals, top classes, largest arrays, GC roots, layout
 * @param histogram every class, for comparing this dump with another of the same workload
 */
public record HeapAnalysis(HeapSummary summary, ClassHistogram histogram) {

    public HeapAnalysis {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(histogram, "histogram");
    }
}
