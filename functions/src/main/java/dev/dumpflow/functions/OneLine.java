package dev.dumpflow.functions;

/**
 * Renders a value so that it stays on one line of whatever shows it: a log line, a Slack block, a
 * mail header or the console. Values come from events, the Kubernetes API and heap dumps (a class
 * name is whatever the dumped program made it), so a line break or a terminal escape sequence in
 * one must not start a forged log line, rewrite a terminal, or add a mail header.
 *
 * <p>Each control character (U+0000–U+001F, U+007F–U+009F), the Unicode line and paragraph
 * separators, and the bidirectional overrides that make text read differently than it is stored are
 * shown as a visible escape: {@code \n}, {@code \r}, {@code \t}, or a backslash, {@code u} and the
 * four hex digits of the character (ESC shows as backslash-{@code u001b}). Everything else is left
 * as it is, so an ordinary value reads the same.
 */
public final class OneLine {

    private OneLine() {}

    /** The value with every character that could break or disguise a line escaped; null stays. */
    public static String of(String value) {
        if (value == null || isClean(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!escaped(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(String.format("%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** Whether {@link #of} would leave the value as it is. */
    public static boolean isClean(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (escaped(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean escaped(char c) {
        return Character.isISOControl(c)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
