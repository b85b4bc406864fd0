package dev.dumpflow.analysis;

import java.util.Optional;

/**
 * The parts of an analysis's memory budget ({@link AnalysisSettings#memoryBudget()}), one for each
 * structure that grows with what a dump declares rather than with its objects. A dump that needs
 * more than a cap is summarised up to the record that would cross it, flagged truncated with a
 * reason that names the cap; the rest of the dump is read past unparsed.
 */
public enum AnalysisCap {
    // Shares in eighths, as a real dump needs them: a symbol costs about 34 bytes in the arena
    // and 24 to 72 in the identifier table, as it grows by doubling; a class about 250 bytes.
    /** The UTF-8 string records: the symbols that may name classes, each kept to 4 KiB. */
    STRINGS("strings", 2, "the dump's strings"),
    /** The tables from class and string identifiers to what the analysis keeps about them. */
    IDS("ids", 4, "the identifier tables"),
    /** What the analysis keeps per class: its tallies, field types and array lengths. */
    CLASSES("classes", 2, "the dump's classes");

    private static final String REACHED = " cap reached: ";

    private final String noun;
    private final int eighths;
    private final String what;

    AnalysisCap(String noun, int eighths, String what) {
        this.noun = noun;
        this.eighths = eighths;
        this.what = what;
    }

    /** The cap's share of a memory budget of {@code budget} bytes. */
    public long of(long budget) {
        return budget / 8 * eighths;
    }

    /**
     * The cap's name as a metric label: {@code strings-cap}, {@code ids-cap}, {@code classes-cap}.
     */
    public String label() {
        return noun + "-cap";
    }

    /** The truncation reason of a summary stopped by this cap under a budget of {@code budget}. */
    String reason(long budget) {
        return noun
                + REACHED
                + what
                + " need more than "
                + of(budget)
                + " bytes, "
                + eighths
                + "/8 of the analysis's memory budget of "
                + budget
                + " bytes";
    }

    /** The cap a summary's truncation reason names, if a cap stopped it. */
    public static Optional<AnalysisCap> named(String truncationReason) {
        if (truncationReason != null) {
            for (AnalysisCap cap : values()) {
                if (truncationReason.startsWith(cap.noun + REACHED)) {
                    return Optional.of(cap);
                }
            }
        }
        return Optional.empty();
    }
}
