package dev.dumpflow.analysis.redact;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a redaction zeroes in an HPROF heap dump. Every mode keeps the dump's structure: record
 * lengths, array lengths, object and class ids, references, class dumps, field and class names (the
 * UTF8 records), stack traces and GC roots, so that histograms, growth and reference chains stay
 * exact.
 */
public enum RedactionMode {

    /** Zeroes nothing: the dump is stored as it is. */
    NONE("none"),

    /**
     * Zeroes the elements of every {@code char[]} and {@code byte[]} (primitive array dumps of
     * element type char or byte), and so the value of every {@code String}, which points to one.
     * Keeps every other primitive array, every instance field and every static field.
     */
    STRINGS("strings"),

    /**
     * Zeroes the elements of every primitive array (all element types), every primitive instance
     * field value and every primitive static field or constant pool value of the class dumps. Keeps
     * object references (they are ids, not values), array lengths and everything {@link #STRINGS}
     * keeps.
     */
    PRIMITIVES("primitives");

    private final String wire;

    RedactionMode(String wire) {
        this.wire = wire;
    }

    /**
     * The name in configuration and events: {@code none}, {@code strings} or {@code primitives}.
     */
    public String wire() {
        return wire;
    }

    /**
     * Parses a {@link #wire()} name, ignoring surrounding blanks and case.
     *
     * @throws IllegalArgumentException naming the accepted forms, for anything else
     */
    public static RedactionMode fromWire(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (RedactionMode mode : values()) {
                if (mode.wire.equals(wanted)) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown redaction mode '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values())
                                .map(RedactionMode::wire)
                                .collect(Collectors.joining(", ")));
    }

    /**
     * The mode that zeroes more of the two ({@link #PRIMITIVES} over {@link #STRINGS} over {@link
     * #NONE}), so that a workload's policy can tighten its namespace's but never loosen it.
     */
    public static RedactionMode strictest(RedactionMode a, RedactionMode b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Whether a primitive array of this HPROF element type has its elements zeroed. */
    boolean zeroesArrayOf(int elementType) {
        return switch (this) {
            case NONE -> false;
            case STRINGS -> elementType == HprofTags.CHAR || elementType == HprofTags.BYTE;
            case PRIMITIVES -> true;
        };
    }

    /** Whether primitive field values (instance, static, constant pool) are zeroed. */
    boolean zeroesFields() {
        return this == PRIMITIVES;
    }
}
