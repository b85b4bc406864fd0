package dev.dumpflow.events;

import java.util.regex.Pattern;

/** Argument checks shared by the payload records' compact constructors. */
final class Checks {

    /** Safe in an object key, a URL path segment and a file name: no slash, no leading dot. */
    static final Pattern DUMP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Checks() {}

    static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static Long nonNegativeOrNull(Long value, String name) {
        return value == null ? null : nonNegative(value, name);
    }

    static String dumpId(String value) {
        nonBlank(value, "dumpId");
        if (!DUMP_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "dumpId must match " + DUMP_ID.pattern() + ", was '" + value + "'");
        }
        return value;
    }

    static String sha256(String value) {
        nonBlank(value, "sha256");
        if (!SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        return value;
    }
}
