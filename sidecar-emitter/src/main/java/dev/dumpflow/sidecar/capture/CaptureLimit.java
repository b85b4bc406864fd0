package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.config.DurationText;
import java.time.Duration;

/**
 * At most {@code count} captures per process within any {@code window} ({@code
 * DUMPFLOW_CAPTURE_LIMIT}, written {@code 3/1h}).
 *
 * @param count how many captures the window allows
 * @param window the sliding window
 */
public record CaptureLimit(int count, Duration window) {

    static final String FORMS = "<count>/<window>, for example 3/1h or 10/1d";

    public CaptureLimit {
        if (count < 1) {
            throw new IllegalArgumentException("a capture limit allows at least one capture");
        }
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("a capture limit needs a positive window");
        }
    }

    /** Parses {@code 3/1h}. */
    public static CaptureLimit parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected one '/'");
            }
            return new CaptureLimit(
                    Integer.parseInt(parts[0].strip()), DurationText.parse(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "DUMPFLOW_CAPTURE_LIMIT='"
                            + text
                            + "' is invalid ("
                            + e.getMessage()
                            + "). Accepted: "
                            + FORMS,
                    e);
        }
    }

    @Override
    public String toString() {
        return count + " per " + window.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
