package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.ERROR;

import dev.dumpflow.sidecar.serve.AnnouncedDump;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Announces again every dump that archive has not deleted within the configured time, with the same
 * dumpId and token, so that a dump whose announcement was lost (a full outbox, a broker that
 * dropped it, a function that gave up) is still saved. The file stays on disk until archive deletes
 * it; the wait doubles after each announcement, up to a cap, so that a dump nobody takes costs a
 * few events a day. A token that expires all the same (a token lifetime shorter than the wait)
 * makes the registry let go of the file ({@link AnnouncedDumps#releaseExpired()}).
 */
final class Reannouncer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Reannouncer.class.getName());

    private final ReannounceConfig config;
    private final AnnouncedDumps registry;
    private final DumpAnnouncer announcer;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private Reannouncer(
            ReannounceConfig config,
            AnnouncedDumps registry,
            DumpAnnouncer announcer,
            Clock clock,
            ScheduledExecutorService timer) {
        this.config = config;
        this.registry = registry;
        this.announcer = announcer;
        this.clock = clock;
        this.timer = timer;
    }

    /** A re-announcer that checks only when {@link #announceDue()} is called. */
    static Reannouncer manual(
            ReannounceConfig config,
            AnnouncedDumps registry,
            DumpAnnouncer announcer,
            Clock clock) {
        return new Reannouncer(config, registry, announcer, clock, null);
    }

    /**
     * Checks on a timer, a quarter of the configured time apart (between 50 ms and a minute), so a
     * dump is announced again at most that late; does nothing when switched off.
     */
    static Reannouncer start(
            ReannounceConfig config,
            AnnouncedDumps registry,
            DumpAnnouncer announcer,
            Clock clock) {
        // Switched off, it still lets go of the files of expired tokens, once a minute.
        long period =
                config.enabled()
                        ? Math.clamp(
                                config.after().toMillis() / 4,
                                50L,
                                Duration.ofMinutes(1).toMillis())
                        : Duration.ofMinutes(1).toMillis();
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("dumpflow-reannounce").daemon().factory());
        Reannouncer reannouncer = new Reannouncer(config, registry, announcer, clock, timer);
        timer.scheduleWithFixedDelay(
                reannouncer::announceDueSafely, period, period, TimeUnit.MILLISECONDS);
        return reannouncer;
    }

    /**
     * Announces again every dump whose wait has passed, then lets go of the files of the tokens
     * that expired all the same; returns how many were announced.
     */
    int announceDue() {
        if (!config.enabled()) {
            registry.releaseExpired();
            return 0;
        }
        registry.forgetMissingFiles();
        Instant now = clock.instant();
        int count = 0;
        for (AnnouncedDump dump : registry.all()) {
            Duration wait = config.intervalAfter(dump.announcements());
            if (now.isBefore(dump.announcedAt().plus(wait))) {
                continue;
            }
            var again = registry.announceAgain(dump.dumpId());
            if (again.isPresent()) {
                announcer.announceAgain(again.get(), wait);
                count++;
            }
        }
        registry.releaseExpired();
        return count;
    }

    private void announceDueSafely() {
        try {
            announceDue();
        } catch (RuntimeException failed) {
            // The timer stops for good on an exception; the next round may well succeed.
            LOG.log(ERROR, "re-announcement round failed", failed);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
