package dev.dumpflow.functions.retention;

import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.redact.RedactionConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Expiry for stores without lifecycle support, such as the local stack's embedded S3 (S3Proxy):
 * with {@code dumpflow.retention.local-expiry.enabled=true} it sweeps, every {@code
 * local-expiry.interval}, the prefix of every expiring rule dumpflow wants ({@link
 * RetentionRules#wanted}: {@code dumps/}, {@code index/}, and {@code raw/} when {@code
 * dumpflow.redaction.keep-original} is set), deleting what is older than the rule's days, so local
 * data does not grow forever and a kept original does not outlive its period.
 */
@Singleton
public class LocalExpiry {

    private static final Logger LOG = Logger.getLogger(LocalExpiry.class);

    private final RetentionConfig config;
    private final RedactionConfig redaction;
    private final BucketConfig bucket;
    private final PrefixSweeper sweeper;
    private final InstantSource clock;
    private ScheduledExecutorService scheduler;

    @Inject
    LocalExpiry(
            RetentionConfig config,
            RedactionConfig redaction,
            BucketConfig bucket,
            PrefixSweeper sweeper) {
        this(config, redaction, bucket, sweeper, InstantSource.system());
    }

    /** With the "now" a test chooses, so that it can age objects without waiting. */
    LocalExpiry(
            RetentionConfig config,
            RedactionConfig redaction,
            BucketConfig bucket,
            PrefixSweeper sweeper,
            InstantSource clock) {
        this.config = config;
        this.redaction = redaction;
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
        // Fail at start-up, not at the first sweep, on bad days.
        List<ManagedRule> rules = RetentionRules.from(config).wanted(redaction.keepOriginal());
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("dumpflow-local-expiry").daemon().factory());
        scheduler.scheduleWithFixedDelay(
                this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof(
                "Local expiry sweeps bucket %s every %s: %s",
                bucket.name(),
                interval,
                rules.stream()
                        .filter(r -> r.expirationDays() != null)
                        .map(r -> r.prefix() + " after " + r.expirationDays() + " days")
                        .collect(Collectors.joining(", ")));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Deletes every object under an expiring rule's prefix that is older than the rule's days at
     * {@code now}.
     *
     * @return how many objects were deleted
     */
    public int sweep(Instant now) {
        int deleted = 0;
        for (ManagedRule rule : RetentionRules.from(config).wanted(redaction.keepOriginal())) {
            if (rule.enabled() && rule.expirationDays() != null) {
                deleted +=
                        sweeper.deleteOlderThan(
                                bucket.name(),
                                rule.prefix(),
                                now.minus(Duration.ofDays(rule.expirationDays())));
            }
        }
        return deleted;
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
