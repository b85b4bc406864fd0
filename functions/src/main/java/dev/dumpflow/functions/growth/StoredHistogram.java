package dev.dumpflow.functions.growth;

import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.HeapSummary.ClassStat;
import java.util.List;

/**
 * The document at {@code index/_histograms/{dumpId}.json}: a dump's full class histogram, bound to
 * the dump by its SHA-256 so that a histogram never stands for another dump of the same dumpId.
 *
 * @param dumpId the dump's id
 * @param sha256 the SHA-256 of the dump's raw bytes, as its record holds it
 * @param classes every class, one entry per name, largest shallow bytes first
 */
record StoredHistogram(String dumpId, String sha256, List<ClassStat> classes) {

    StoredHistogram {
        classes = classes == null ? List.of() : classes;
    }

    ClassHistogram histogram() {
        return new ClassHistogram(classes);
    }
}
