package dev.dumpflow.cli;

/**
 * Makes text from the gate safe to print on a terminal: control characters (escape sequences
 * included) become {@code ?}, so that a record or an error message cannot move the cursor or
 * rewrite what the user sees.
 */
final class Printable {

    private Printable() {}

    /** The text with every control character replaced; {@code -} for null. */
    static String of(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.toString();
    }
}
