package dev.dumpflow.analysis;

/**
 * The dump's content ends early or breaks the HPROF format. Never escapes the analyzer: it turns
 * into a partial summary flagged truncated, with this message as the reason.
 */
final class HprofFormatException extends RuntimeException {

    private HprofFormatException(String message) {
        super(message, null, false, false);
    }

    static HprofFormatException endedAt(long offset) {
        return new HprofFormatException("the dump ends at byte " + offset + ", inside a record");
    }

    static HprofFormatException corrupt(String what, long offset) {
        return new HprofFormatException(what + " at byte " + offset);
    }
}
