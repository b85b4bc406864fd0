package dev.dumpflow.functions.notify;

import dev.dumpflow.events.Redaction;

/**
 * What a message says about a redacted dump, so that whoever downloads it knows why its strings
 * read as zeros. A kept original is named only by its prefix: nobody the message reaches may read
 * it, so it gets no link.
 */
final class RedactionText {

    private RedactionText() {}

    /** One line on how the stored dump was redacted, or null for a dump stored as fetched. */
    static String stored(Redaction r) {
        if (r == null) {
            return null;
        }
        String zeroed =
                switch (r.mode()) {
                    case "strings" -> "char[]/byte[] contents zeroed";
                    case "primitives" -> "primitive arrays and primitive fields zeroed";
                    default -> "contents zeroed";
                };
        return "Stored redacted (%s): %s; see docs/security.md".formatted(r.mode(), zeroed);
    }

    /** One line on the kept original, or null when none was kept. */
    static String original(Redaction r) {
        return r == null || !r.originalKept()
                ? null
                : "kept under raw/ until its expiry rule deletes it; only break-glass access may"
                        + " read it";
    }
}
