package dev.dumpflow.sidecar.memory;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte quantities the way Kubernetes writes them: {@code 512Mi}, {@code 1Gi},
 * {@code 1.5G}, {@code 1048576}.
 */
public final class ByteSize {

    /** The forms accepted, for error messages. */
    public static final String FORMS =
            "a byte count with an optional suffix: Ki, Mi, Gi, Ti (powers of 1024) or K, M, G, T"
                    + " (powers of 1000), for example 512Mi, 1Gi, 1.5G or 1048576";

    private static final Pattern QUANTITY =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(Ki|Mi|Gi|Ti|k|K|M|G|T)?");

    private ByteSize() {}

    /**
     * The number of bytes a quantity means.
     *
     * @throws IllegalArgumentException when the text is not a quantity or too large for a long
     */
    public static long parse(String text) {
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORMS);
        }
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit(m.group(2))));
        try {
            return bytes.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is too large", tooLarge);
        }
    }

    /** A short human form, for log lines: {@code 64.0 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static long unit(String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (suffix) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> throw new IllegalStateException("unhandled suffix " + suffix);
        };
    }
}
