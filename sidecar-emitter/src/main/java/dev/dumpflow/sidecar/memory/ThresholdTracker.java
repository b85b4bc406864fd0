package dev.dumpflow.sidecar.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The thresholds one process has crossed, with hysteresis: a crossed threshold stays quiet until
 * the resident set drops below {@value #REARM_PERCENT}% of it, so a process hovering around a
 * threshold fires it once, not on every poll.
 *
 * <p>One tracker per process incarnation (pid and start time): a restarted process starts with
 * every threshold armed. Not thread-safe; the memory watch's single poll thread owns it.
 */
public final class ThresholdTracker {

    /** A crossed threshold re-arms once memory falls below this share of it. */
    public static final int REARM_PERCENT = 90;

    private final ThresholdRule rule;
    private final TreeSet<Long> fired = new TreeSet<>();

    public ThresholdTracker(ThresholdRule rule) {
        this.rule = rule;
    }

    /**
     * Records one sample and returns the thresholds it crossed, lowest first; empty when none.
     *
     * @param rssBytes the process's resident set size now
     */
    public List<Threshold> observe(long rssBytes) {
        fired.removeIf(t -> rssBytes < rearmLevel(t));
        List<Threshold> crossed = new ArrayList<>();
        long below = 0;
        for (Optional<Threshold> t = rule.firstAbove(below);
                t.isPresent() && t.get().bytes() <= rssBytes;
                t = rule.firstAbove(below)) {
            if (fired.add(t.get().bytes())) {
                crossed.add(t.get());
            }
            below = t.get().bytes();
        }
        return crossed;
    }

    /** The next threshold above the given one that would fire, for the event. */
    public Optional<Threshold> nextAbove(Threshold crossed) {
        return rule.firstAbove(crossed.bytes());
    }

    private static long rearmLevel(long threshold) {
        return threshold / 100 * REARM_PERCENT + threshold % 100 * REARM_PERCENT / 100;
    }
}
