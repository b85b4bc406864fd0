package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Bounds how many archives run at once in this process. Each archive holds its part buffers and
 * compression state, so memory grows with their number; after an outage the Broker delivers every
 * held-back dump at once, and without a bound that burst runs the function out of heap. Archives
 * beyond the bound wait their turn, in arrival order, for a while; then the event is answered 503
 * and the Broker delivers it again later.
 */
@ApplicationScoped
class ArchiveSlots {

    private static final Logger LOG = Logger.getLogger(ArchiveSlots.class);

    private final Semaphore slots;
    private final int size;
    private final Duration maxWait;

    @Inject
    ArchiveSlots(ArchiveConfig config) {
        this(config.archive().maxConcurrent(), config.archive().slotWait());
    }

    ArchiveSlots(int size, Duration maxWait) {
        if (size < 1) {
            throw new IllegalArgumentException(
                    "dumpflow.archive.max-concurrent must be 1 or more, was " + size);
        }
        this.slots = new Semaphore(size, true);
        this.size = size;
        this.maxWait = maxWait;
    }

    /** How many archives wait for a slot now. */
    int waiting() {
        return slots.getQueueLength();
    }

    /** Runs {@code archive} once a slot is free; a retryable failure if none frees in time. */
    <T> T run(String dumpId, Supplier<T> archive) {
        if (!slots.tryAcquire()) {
            LOG.infof("dump %s: waiting for one of %d archive slots", dumpId, size);
            try {
                if (!slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw FunctionFailure.unavailable(
                            "dump %s: %d archives still running after %s; try again later"
                                    .formatted(dumpId, size, maxWait),
                            null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FunctionFailure.unavailable(
                        "dump " + dumpId + ": interrupted while waiting for an archive slot", e);
            }
        }
        try {
            return archive.get();
        } finally {
            slots.release();
        }
    }
}
