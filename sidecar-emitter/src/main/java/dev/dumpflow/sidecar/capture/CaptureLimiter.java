package dev.dumpflow.sidecar.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stops dump storms: at most {@link CaptureLimit#count()} captures of a program per sliding window,
 * and none within the cooldown after the last one. Every capture started counts, whether it later
 * succeeds or not, because a failing capture costs the application a pause all the same.
 */
public final class CaptureLimiter {

    private final CaptureLimit limit;
    private final Duration cooldown;
    private final CaptureLedger ledger;
    private final Clock clock;
    private final Map<String, List<Instant>> captures;

    public CaptureLimiter(
            CaptureLimit limit, Duration cooldown, CaptureLedger ledger, Clock clock) {
        this.limit = limit;
        this.cooldown = cooldown;
        this.ledger = ledger;
        this.clock = clock;
        this.captures = ledger.load();
    }

    /**
     * Takes one capture slot for the program, or says why not.
     *
     * @param programKey the program's key ({@code WatchedProcess.programKey()})
     * @return empty when the capture may go ahead (and is recorded), else the reason it may not
     */
    public synchronized Optional<String> tryAcquire(String programKey) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(limit.window());
        captures.values().forEach(times -> times.removeIf(t -> !t.isAfter(windowStart)));
        captures.values().removeIf(List::isEmpty);
        List<Instant> times =
                captures.computeIfAbsent(programKey, k -> new java.util.ArrayList<>());
        if (times.size() >= limit.count()) {
            Instant next = times.getFirst().plus(limit.window());
            return Optional.of(
                    "capture limit reached: "
                            + times.size()
                            + " captures of this process within "
                            + window()
                            + " (DUMPFLOW_CAPTURE_LIMIT="
                            + limit.count()
                            + "/"
                            + window()
                            + "); next allowed at "
                            + next);
        }
        if (!times.isEmpty() && !cooldown.isZero()) {
            Instant next = times.getLast().plus(cooldown);
            if (now.isBefore(next)) {
                return Optional.of(
                        "capture cooldown: last capture of this process at "
                                + times.getLast()
                                + " (DUMPFLOW_CAPTURE_COOLDOWN="
                                + cooldown
                                + "); next allowed at "
                                + next);
            }
        }
        times.add(now);
        ledger.save(captures);
        return Optional.empty();
    }

    private String window() {
        return limit.window().toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
