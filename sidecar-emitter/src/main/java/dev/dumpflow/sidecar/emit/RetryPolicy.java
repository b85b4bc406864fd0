package dev.dumpflow.sidecar.emit;

import java.time.Duration;

/**
 * How long to wait between attempts at one event: exponential, capped.
 *
 * @param initial the wait after the first failed attempt
 * @param max the cap on any wait
 */
public record RetryPolicy(Duration initial, Duration max) {

    /** 200 ms, doubling, at most 30 s apart. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30));

    public RetryPolicy {
        if (initial == null || max == null || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max");
        }
    }

    /** The wait after the given failed attempt, counting from 1. */
    public Duration delayAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /**
     * Whether a non-2xx status is worth another attempt. Only a refusal of the event itself gives
     * up: 400 (malformed), 413 (too large), 415 (unsupported media type). Everything else is
     * retried: Knative answers 404 while a broker is being created, and 429, 5xx and the rest can
     * pass.
     */
    public static boolean retryable(int status) {
        return status != 400 && status != 413 && status != 415;
    }
}
