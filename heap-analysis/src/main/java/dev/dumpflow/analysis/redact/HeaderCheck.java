package dev.dumpflow.analysis.redact;

import dev.dumpflow.analysis.redact.UnredactableException.Kind;

/**
 * Checks the header's text, {@code JAVA PROFILE 1.0.x} and a NUL, byte by byte as it arrives, and
 * fails at the first byte that cannot belong to it: a gzipped or .NET dump fails at byte 0.
 */
final class HeaderCheck {

    private static final String MAGIC = "JAVA PROFILE 1.0";
    private static final int LONGEST = 64;

    private int length;

    /** Takes the header's next byte, at {@code at}; true once its NUL ends a valid header text. */
    boolean accept(byte c, long at) throws UnredactableException {
        if (c == 0) {
            if (length < MAGIC.length()) {
                throw bad(at);
            }
            return true;
        }
        if (length == LONGEST || (length < MAGIC.length() && (c & 0xff) != MAGIC.charAt(length))) {
            throw bad(at);
        }
        length++;
        return false;
    }

    private static UnredactableException bad(long at) {
        return UnredactableException.of(
                Kind.BAD_HEADER, "no '" + MAGIC + ".x' header (" + at + " bytes matched)", at);
    }
}
