package dev.dumpflow.functions.retention;

import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Expiry for stores without lifecycle support, such as the local stack's embedded S3 (S3Proxy):
 * with {@code dumpflow.retention.local-expiry.enabled=true} it sweeps {@code dumps/} and {@code
 * index/} every {@code local-expiry.interval}, deleting what is older than the retention days, so
 * local data does not grow forever.
 */
@Singleton
public class LocalExpiry {

    private static final Logger LOG = Logger.getLogger(LocalExpiry.class);

    private final RetentionConfig config;
    private final BucketConfig bucket;
    private final PrefixSweeper sweeper;
    private final InstantSource clock;
    private ScheduledExecutorService scheduler;

    @Inject
    LocalExpiry(RetentionConfig config, BucketConfig bucket, PrefixSweeper sweeper) {
        this(config, bucket, sweeper, InstantSource.system());
    }

    /** With the "now" a test chooses, so that it can age objects without waiting. */
    LocalExpiry(
            RetentionConfig config,
            BucketConfig bucket,
            PrefixSweeper sweeper,
            InstantSource clock) {
        this.config = config;
        this.bucket = bucket;
        this.sweeper = sweeper;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.localExpiry().enabled()) {
            return;
        }
        Duration interval = config.localExpiry().interval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "dumpflow.retention.local-expiry.interval must be positive, was " + interval);
        }
        RetentionRules.from(config); // fail at start-up, not at the first sweep, on bad days
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("dumpflow-local-expiry").daemon().factory());
        scheduler.scheduleWithFixedDelay(
                this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof(
                "Local expiry sweeps bucket %s every %s: dumps after %d days, index records after"
                        + " %d days",
                bucket.name(), interval, config.dumpDays(), config.indexDays());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Deletes every dump and index record older than its retention at {@code now}.
     *
     * @return how many objects were deleted
     */
    public int sweep(Instant now) {
        String name = bucket.name();
        int dumps =
                sweeper.deleteOlderThan(
                        name,
                        StorageLayout.DUMPS_PREFIX,
                        now.minus(Duration.ofDays(config.dumpDays())));
        int index =
                sweeper.deleteOlderThan(
                        name,
                        StorageLayout.INDEX_PREFIX,
                        now.minus(Duration.ofDays(config.indexDays())));
        return dumps + index;
    }

    private void sweepQuietly() {
        try {
            int removed = sweep(clock.instant());
            LOG.debugf("Local expiry sweep removed %d object(s)", removed);
        } catch (RuntimeException e) {
            // A store that is down now may be back at the next sweep; the schedule must survive.
            LOG.warnf(
                    e,
                    "Local expiry sweep of bucket %s failed; retrying in %s",
                    bucket.name(),
                    config.localExpiry().interval());
        }
    }
}
