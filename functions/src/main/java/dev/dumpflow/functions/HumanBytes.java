package dev.dumpflow.functions;

import java.util.Locale;

/** Byte counts as people read them: binary units, one decimal. */
public final class HumanBytes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private HumanBytes() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 117.7 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit), UNITS[unit]);
    }

    /** As {@link #format(long)}, and null for null. */
    public static String format(Long bytes) {
        return bytes == null ? null : format(bytes.longValue());
    }
}
