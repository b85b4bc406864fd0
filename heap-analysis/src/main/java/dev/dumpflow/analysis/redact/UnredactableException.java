package dev.dumpflow.analysis.redact;

import java.io.IOException;

/**
 * The input is not an HPROF heap dump the redactor can rewrite, so it can never be stored redacted.
 * The message says what was wrong and at which byte offset of the (uncompressed) input; {@link
 * #kind()} says it for code and metrics.
 */
public final class UnredactableException extends IOException {

    /** Why the input cannot be redacted. */
    public enum Kind {
        /** No {@code JAVA PROFILE 1.0.x} header, or an empty input. */
        BAD_HEADER,
        /** An identifier size other than 4 or 8. */
        UNSUPPORTED_ID_SIZE,
        /** A top-level record tag the HPROF format does not define. */
        UNKNOWN_RECORD,
        /**
         * A heap dump sub-record tag, field type or array element type the format does not define.
         */
        UNKNOWN_SUB_RECORD,
        /** A sub-record that runs past the end of its HEAP_DUMP or HEAP_DUMP_SEGMENT record. */
        RECORD_OVERRUN,
        /**
         * An instance whose field layout is unknown (its class or a super class has no class dump
         * yet) or disagrees with its length, under a mode that zeroes fields.
         */
        UNKNOWN_LAYOUT,
        /**
         * More class layouts than the redactor keeps ({@link RedactionMode#PRIMITIVES} only): a
         * dump of far more classes, or fields, than a JVM holds.
         */
        LAYOUT_LIMIT,
        /** The input ends inside the header or inside a record. */
        TRUNCATED
    }

    private final Kind kind;
    private final long offset;

    private UnredactableException(Kind kind, String what, long offset) {
        super(what + " at byte " + offset);
        this.kind = kind;
        this.offset = offset;
    }

    static UnredactableException of(Kind kind, String what, long offset) {
        return new UnredactableException(kind, what, offset);
    }

    /** Why the input cannot be redacted. */
    public Kind kind() {
        return kind;
    }

    /** The byte offset in the uncompressed input where the problem was found. */
    public long offset() {
        return offset;
    }
}
