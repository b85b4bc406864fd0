package dev.dumpflow.sidecar.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of the durations in the sidecar's environment: {@code 500ms}, {@code 5s}, {@code
 * 10m}, {@code 1h}, {@code 1d}, or ISO-8601 such as {@code PT5S}. Whitespace around the value is
 * ignored (as everywhere in the environment); whitespace inside it ({@code 5 s}) is not a duration.
 * Zero is a duration ({@code 0s}: no cooldown); a setting that needs time to pass asks for {@link
 * #parsePositive}. Negative durations are refused.
 */
public final class DurationText {

    /** The forms accepted, for error messages. */
    public static final String FORMS =
            "a whole number followed by ms, s, m, h or d (for example 500ms, 30s, 15m, 6h, 1d),"
                    + " or ISO-8601 like PT6H";

    /** The forms accepted where zero is not, for error messages. */
    public static final String POSITIVE_FORMS = "more than zero: " + FORMS;

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * The duration the text means, zero included.
     *
     * @throws IllegalArgumentException when it is neither form, or negative
     */
    public static Duration parse(String text) {
        String t = text.strip();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException tooLong) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException("unhandled unit " + m.group(2));
            };
        }
        Duration d;
        try {
            d = Duration.parse(t);
        } catch (DateTimeParseException notIso) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORMS, notIso);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return d;
    }

    /**
     * As {@link #parse}, but zero is refused too.
     *
     * @throws IllegalArgumentException when it is neither form, zero or negative
     */
    public static Duration parsePositive(String text) {
        Duration d = parse(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is zero; it must be more than zero");
        }
        return d;
    }
}
