package dev.dumpflow.sidecar.memory;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the short durations the sidecar's environment uses: {@code 500ms}, {@code 5s}, {@code 1h}.
 */
public final class DurationText {

    /** The forms accepted, for error messages. */
    public static final String FORMS =
            "a whole number followed by ms, s, m, h or d (for example 500ms, 5s, 10m, 1h),"
                    + " or an ISO-8601 duration such as PT5S";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * The duration the text means.
     *
     * @throws IllegalArgumentException when it is neither form, or negative
     */
    public static Duration parse(String text) {
        String t = text.strip();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException("unhandled unit " + m.group(2));
            };
        }
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            return d;
        } catch (DateTimeParseException notIso) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORMS, notIso);
        }
    }
}
