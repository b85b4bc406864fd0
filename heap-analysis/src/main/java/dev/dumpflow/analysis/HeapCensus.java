package dev.dumpflow.analysis;

/** Everything one parse accumulates: classes and their tallies, roots, layout evidence. */
final class HeapCensus {

    final ClassCatalog catalog;
    final AddressEvidence evidence = new AddressEvidence();
    final LargestArrays largestArrays;

    /** GC-root counts indexed by sub-record tag. */
    final long[] roots = new long[256];

    HeapCensus(int largestArrays, MemoryBudget budget) {
        this.catalog = new ClassCatalog(budget);
        this.largestArrays = new LargestArrays(largestArrays);
    }
}
