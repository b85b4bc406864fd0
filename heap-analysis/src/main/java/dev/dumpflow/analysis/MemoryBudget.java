package dev.dumpflow.analysis;

/**
 * Counts the bytes one analysis holds against the caps of its memory budget. Structures take bytes
 * before they allocate them, so that a dump asking for more than a cap allows stops the parse with
 * {@link CapReached} instead of running the heap out; a table that grows takes its new size while
 * it still holds the old one, so the peak of the copy is counted too.
 */
final class MemoryBudget {

    private final long budget;
    private final long[] limits = new long[AnalysisCap.values().length];
    private final long[] used = new long[AnalysisCap.values().length];

    MemoryBudget(long budget) {
        this.budget = budget;
        for (AnalysisCap cap : AnalysisCap.values()) {
            limits[cap.ordinal()] = cap.of(budget);
        }
    }

    /** Counts {@code bytes} more under {@code cap}, or throws when that would cross the cap. */
    void take(AnalysisCap cap, long bytes) {
        int i = cap.ordinal();
        if (bytes > limits[i] - used[i]) {
            throw new CapReached(cap.reason(budget));
        }
        used[i] += bytes;
    }

    /** Counts {@code bytes} less under {@code cap}: a structure let them go. */
    void release(AnalysisCap cap, long bytes) {
        used[cap.ordinal()] -= bytes;
    }

    /** The bytes counted under {@code cap} now. */
    long used(AnalysisCap cap) {
        return used[cap.ordinal()];
    }

    /**
     * The dump needs more memory than a cap of the budget allows. Never escapes the analyzer: it
     * turns into a partial summary flagged truncated, with this message as the reason.
     */
    static final class CapReached extends RuntimeException {
        CapReached(String reason) {
            super(reason, null, false, false);
        }
    }
}
