package dev.dumpflow.sidecar.memory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The thresholds {@code DUMPFLOW_THRESHOLDS} configures: a comma-separated list of absolute sizes
 * ({@code 512Mi,1Gi}) and percentages of the memory limit ({@code 80%,95%}), optionally ending with
 * a ladder factor ({@code 1Gi,x2} means 1, 2, 4, 8 GiB and so on without end).
 *
 * <p>The ladder grows from the largest listed threshold. A rule is immutable and shared by every
 * watched process; the per-process state lives in {@link ThresholdTracker}.
 */
public final class ThresholdRule {

    static final String VARIABLE = "DUMPFLOW_THRESHOLDS";
    static final String LIMIT_VARIABLE = "DUMPFLOW_MEMORY_LIMIT_BYTES";
    static final String FORMS =
            "a comma-separated list of sizes (512Mi,1Gi), percentages of "
                    + LIMIT_VARIABLE
                    + " (80%,95%), optionally ending with a ladder factor (1Gi,x2 = 1, 2, 4 GiB...);"
                    + " sizes are "
                    + ByteSize.FORMS;

    /** A flatter ladder would flood a growing process with events. */
    static final double MIN_FACTOR = 1.1;

    private final String text;
    private final List<Threshold> listed;
    private final double factor;
    private final String ladderRule;

    private ThresholdRule(String text, List<Threshold> listed, double factor) {
        this.text = text;
        this.listed = List.copyOf(listed);
        this.factor = factor;
        this.ladderRule = factor > 0 ? listed.getLast().rule() + ",x" + stripZeros(factor) : null;
    }

    /**
     * Parses the rule.
     *
     * @param text the value of {@code DUMPFLOW_THRESHOLDS}
     * @param limitBytes the container's memory limit, needed by percentages
     * @throws IllegalArgumentException naming the variable and the accepted forms
     */
    public static ThresholdRule parse(String text, OptionalLong limitBytes) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String[] terms = text.split(",", -1);
        TreeMap<Long, Threshold> byBytes = new TreeMap<>();
        double factor = 0;
        for (int i = 0; i < terms.length; i++) {
            String term = terms[i].strip();
            if (term.startsWith("x") || term.startsWith("X")) {
                if (i != terms.length - 1 || i == 0) {
                    throw invalid(text, "a ladder factor must come last, after a threshold");
                }
                factor = parseFactor(text, term);
            } else {
                Threshold t = new Threshold(termBytes(text, term, limitBytes), term);
                byBytes.putIfAbsent(t.bytes(), t);
            }
        }
        return new ThresholdRule(text.strip(), new ArrayList<>(byBytes.values()), factor);
    }

    /** The smallest threshold strictly above {@code bytes}, if any. */
    public Optional<Threshold> firstAbove(long bytes) {
        for (Threshold t : listed) {
            if (t.bytes() > bytes) {
                // The ladder's base belongs to the ladder: "1Gi,x2" fires at 1 GiB too.
                boolean base = ladderRule != null && t == listed.getLast();
                return Optional.of(base ? new Threshold(t.bytes(), ladderRule) : t);
            }
        }
        if (ladderRule == null) {
            return Optional.empty();
        }
        double base = listed.getLast().bytes();
        // Jump close to the rung with a logarithm, then settle: no walk up a long ladder.
        long k = Math.max(1, (long) Math.floor(Math.log(bytes / base) / Math.log(factor)));
        double rung = base * Math.pow(factor, k);
        while (rung > base * factor && Math.floor(rung / factor) > bytes) {
            rung /= factor;
        }
        while (Math.floor(rung) <= bytes) {
            rung *= factor;
        }
        if (rung >= Long.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new Threshold((long) rung, ladderRule));
    }

    /** The configured text, for log lines. */
    @Override
    public String toString() {
        return text;
    }

    private static long termBytes(String text, String term, OptionalLong limitBytes) {
        if (term.endsWith("%")) {
            if (limitBytes.isEmpty()) {
                throw new IllegalArgumentException(
                        VARIABLE
                                + "='"
                                + text
                                + "' uses a percentage, which needs "
                                + LIMIT_VARIABLE
                                + " (the app container's memory limit, from the Downward API"
                                + " limits.memory); set it, or use absolute sizes such as 512Mi,1Gi");
            }
            BigDecimal percent;
            try {
                percent = new BigDecimal(term.substring(0, term.length() - 1).strip());
            } catch (NumberFormatException e) {
                throw invalid(text, "'" + term + "' is not a percentage");
            }
            if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw invalid(text, "'" + term + "' must be above 0% and at most 100%");
            }
            return percent.multiply(BigDecimal.valueOf(limitBytes.getAsLong()))
                    .divide(BigDecimal.valueOf(100), 0, java.math.RoundingMode.FLOOR)
                    .longValueExact();
        }
        long bytes;
        try {
            bytes = ByteSize.parse(term);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
        if (bytes <= 0) {
            throw invalid(text, "'" + term + "' must be above zero");
        }
        return bytes;
    }

    private static double parseFactor(String text, String term) {
        try {
            double f = Double.parseDouble(term.substring(1).strip());
            if (!(f >= MIN_FACTOR) || Double.isInfinite(f)) {
                throw invalid(
                        text, "the ladder factor '" + term + "' must be at least x" + MIN_FACTOR);
            }
            return f;
        } catch (NumberFormatException e) {
            throw invalid(text, "'" + term + "' is not a ladder factor such as x2");
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException(
                VARIABLE + "='" + text + "' is invalid: " + why + ". Accepted: " + FORMS);
    }

    private static String stripZeros(double f) {
        return BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
    }
}
