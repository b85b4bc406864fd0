package dev.dumpflow.sidecar.memory;

/**
 * One memory threshold.
 *
 * @param bytes the resident set size that crosses it
 * @param rule the configured rule that made it, as the event's {@code rule} carries it: the term
 *     itself ({@code 512Mi}, {@code 80%}) or, for a ladder, its base and factor ({@code 1Gi,x2})
 */
public record Threshold(long bytes, String rule) implements Comparable<Threshold> {

    public Threshold {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a threshold must be positive, was " + bytes);
        }
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("a threshold needs the rule that made it");
        }
    }

    @Override
    public int compareTo(Threshold other) {
        return Long.compare(bytes, other.bytes);
    }
}
