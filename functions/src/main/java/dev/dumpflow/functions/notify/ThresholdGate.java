package dev.dumpflow.functions.notify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limits threshold warnings per workload, so that 50 replicas crossing together send one
 * message. The first crossing of a key opens a window of {@code
 * dumpflow.notify.threshold.min-interval}; later crossings inside it are counted, logged, and
 * reported by the first warning after the window. The state is per process: two function instances
 * may each send one.
 */
@ApplicationScoped
public class ThresholdGate {

    /** Past this many keys, closed windows with nothing to report are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Duration minInterval;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Inject
    ThresholdGate(NotifyConfig config) {
        this(config.threshold().minInterval());
    }

    ThresholdGate(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /**
     * Whether a crossing for {@code key} at {@code now} is sent, and how many were held back before
     * it.
     */
    public Decision admit(String key, Instant now) {
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(w -> w.suppressed() == 0 && w.closedAt(now, minInterval));
        }
        Decision[] decision = new Decision[1];
        windows.compute(
                key,
                (k, w) -> {
                    if (w == null || w.closedAt(now, minInterval)) {
                        decision[0] =
                                w == null
                                        ? new Decision(true, 0, null, now)
                                        : new Decision(true, w.suppressed(), w.firstHeld(), now);
                        return new Window(now, 0, null);
                    }
                    Instant firstHeld = w.firstHeld() == null ? now : w.firstHeld();
                    decision[0] = new Decision(false, w.suppressed() + 1, firstHeld, w.sentAt());
                    return new Window(w.sentAt(), w.suppressed() + 1, firstHeld);
                });
        return decision[0];
    }

    /** Undoes an admitted send that failed, so that the Broker's retry is not held back. */
    public void release(String key, Decision sent) {
        windows.computeIfPresent(
                key,
                (k, w) ->
                        w.sentAt().equals(sent.windowOpenedAt())
                                ? (sent.suppressed() == 0
                                        ? null
                                        : new Window(
                                                Instant.MIN,
                                                sent.suppressed(),
                                                sent.suppressedSince()))
                                : w);
    }

    private record Window(Instant sentAt, int suppressed, Instant firstHeld) {
        boolean closedAt(Instant now, Duration interval) {
            return sentAt == Instant.MIN || !now.isBefore(sentAt.plus(interval));
        }
    }

    /**
     * The gate's answer.
     *
     * @param send whether to send this warning
     * @param suppressed for a send, crossings held back since the last warning; otherwise, this
     *     one's number in the window
     * @param suppressedSince when the first held-back crossing came
     * @param windowOpenedAt when the current window's warning was sent
     */
    public record Decision(
            boolean send, int suppressed, Instant suppressedSince, Instant windowOpenedAt) {}
}
