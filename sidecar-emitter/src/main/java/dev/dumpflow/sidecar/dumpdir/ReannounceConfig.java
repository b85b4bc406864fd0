package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.sidecar.config.Env;
import java.time.Duration;

/**
 * When a dump that archive has not deleted yet is announced again.
 *
 * @param after {@code DUMPFLOW_REANNOUNCE_AFTER}: how long after an announcement a dump still on
 *     disk is announced again, with the same dumpId and token; the wait doubles after each
 *     announcement, up to {@link #MAX_INTERVAL}; null when switched off ({@code off}); default 15m
 */
public record ReannounceConfig(Duration after) {

    /** See {@link #after()}. */
    public static final String AFTER = "DUMPFLOW_REANNOUNCE_AFTER";

    /** The cap on the doubled wait. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(6);

    /** Never announces again. */
    public static final ReannounceConfig OFF = new ReannounceConfig(null);

    public ReannounceConfig {
        if (after != null && (after.isNegative() || after.isZero())) {
            throw new IllegalArgumentException("after must be positive");
        }
    }

    /** Whether dumps are announced again at all. */
    public boolean enabled() {
        return after != null;
    }

    /**
     * The wait after the given announcement (counting from 1) before the next: {@link #after()}
     * doubled each time, at most {@link #MAX_INTERVAL} (or {@code after} itself, if that is
     * longer).
     */
    public Duration intervalAfter(int announcements) {
        Duration cap = after.compareTo(MAX_INTERVAL) > 0 ? after : MAX_INTERVAL;
        int doublings = Math.min(Math.max(announcements - 1, 0), 30);
        Duration interval = after.multipliedBy(1L << doublings);
        return interval.compareTo(cap) > 0 ? cap : interval;
    }

    /** Parses {@code DUMPFLOW_REANNOUNCE_AFTER}. */
    public static ReannounceConfig fromEnv(Env env) {
        return new ReannounceConfig(env.durationOrOff(AFTER, Duration.ofMinutes(15)).orElse(null));
    }
}
