package dev.dumpflow.functions.archive;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code dumpflow.upload.part-size}: a byte count with an optional binary unit ({@code
 * 16MiB}, {@code 16M}, {@code 16777216}), between 8 MiB and 1 GiB. A wrong value stops the start-up
 * with a message that names the accepted forms.
 */
public final class PartSizeConverter implements Converter<Integer> {

    static final int MIN = 8 << 20;
    static final int MAX = 1 << 30;

    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

    @Override
    public Integer convert(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw invalid(value);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(value);
        }
        if (bytes < MIN || bytes > MAX) {
            throw new IllegalArgumentException(
                    "dumpflow.upload.part-size must be between 8MiB and 1GiB, was " + value);
        }
        return (int) bytes;
    }

    private static long unit(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit.toLowerCase(Locale.ROOT).charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(
                "dumpflow.upload.part-size must be a byte count such as 16MiB, 16M or 16777216, was '"
                        + value
                        + "'");
    }
}
