package dev.dumpflow.cli;

import java.util.Locale;

/** Byte counts as people read them: binary units with one decimal, for example {@code 1.5 GiB}. */
final class Sizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 GiB}. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
