package dev.dumpflow.functions.once;

import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs a step once across every replica of the functions, with markers in the bucket: Knative
 * delivers at least once, and the copies of an event may reach different replicas at the same time.
 *
 * <p>A replica claims the step by creating {@code claim-1} under the step's prefix with {@code
 * If-None-Match: *}; S3 lets exactly one creation succeed and answers the others 412. The winner
 * runs the step, writes {@code done} (what the step returned), then removes its claim. A step that
 * throws overwrites its claim with {@code released} (only its creator ever writes a claim again),
 * so that a re-delivery can go on at once. A loser waits until {@code done} appears. A claim
 * carries its holder's clock: one older than the lease is a crashed replica's and, like a released
 * one, is passed over for the next generation ({@code claim-2}, ...), claimed the same way.
 * Generations only grow, and a claim is deleted only once {@code done} exists, so two replicas can
 * never both hold a live claim. Nothing is listed.
 *
 * <p>This needs a store that honours conditional creates (AWS S3, MinIO, S3Proxy 4.1 or later);
 * {@link ConditionalWriteProbe} refuses to start on one that does not.
 */
@ApplicationScoped
public class OnceMarkers {

    private static final Logger LOG = Logger.getLogger(OnceMarkers.class);
    private static final String DONE = "done";
    private static final String CLAIM = "claim-";
    private static final String RELEASED = "released";
    private static final Duration POLL = Duration.ofMillis(100);

    private final S3Client s3;
    private final String bucket;
    private final Duration lease;
    private final Duration maxWait;
    private final Clock clock;
    private final Runnable storeCheck;

    @Inject
    OnceMarkers(S3Client s3, BucketConfig bucket, OnceConfig config, ConditionalWriteProbe probe) {
        this(s3, bucket.name(), config.lease(), config.maxWait(), Clock.systemUTC(), probe::ensure);
    }

    /**
     * For replicas made by hand in tests: each instance is a replica of its own.
     *
     * @param storeCheck runs before each step; throws when the store cannot create once
     */
    public OnceMarkers(
            S3Client s3,
            String bucket,
            Duration lease,
            Duration maxWait,
            Clock clock,
            Runnable storeCheck) {
        this.s3 = s3;
        this.bucket = bucket;
        this.lease = lease;
        this.maxWait = maxWait;
        this.clock = clock;
        this.storeCheck = storeCheck;
    }

    /**
     * Runs {@code step} unless some replica already did it under {@code prefix}.
     *
     * @param prefix the step's marker folder, from {@code StorageLayout.markerPrefix}
     * @param context what to put in front of log lines, such as {@code dumpId=...}
     * @param step does the work and returns what the {@code done} marker keeps (a short text, for
     *     example the key it wrote), for duplicates to read
     * @return what the step returned, here or in the replica that ran it
     * @throws StoreUnavailable when S3 does not answer: the caller decides between failing and
     *     doing the step without the guarantee
     * @throws FunctionFailure unavailable when another replica holds the step for longer than the
     *     max wait; whatever {@code step} throws, after the claim is released
     */
    public Done once(String prefix, String context, Supplier<String> step) {
        try {
            storeCheck.run();
            Optional<String> claim = claim(prefix, context);
            if (claim.isEmpty()) {
                return new Done(false, done(prefix).orElse(""));
            }
            String key = prefix + claim.get();
            String result;
            try {
                result = step.get();
            } catch (SdkException e) {
                release(key);
                // The step's own S3 failure, not the markers': the caller must see it as is.
                throw new StepFailed(e);
            } catch (RuntimeException | Error e) {
                release(key);
                throw e;
            }
            markDone(prefix, context, result);
            delete(key);
            return new Done(true, result);
        } catch (StepFailed e) {
            throw e.cause;
        } catch (SdkException e) {
            throw new StoreUnavailable(
                    "%s: S3 did not answer for the once-marker %s (%s: %s)"
                            .formatted(
                                    context, prefix, e.getClass().getSimpleName(), e.getMessage()),
                    e);
        }
    }

    /**
     * The outcome of {@link #once}.
     *
     * @param ranHere whether this call ran the step
     * @param result what the step returned, here or in another replica
     */
    public record Done(boolean ranHere, String result) {}

    /** S3 did not answer, so nothing can be said about whether the step was done. */
    public static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Carries a step's own SDK exception past the handler of the markers' S3 failures. */
    private static final class StepFailed extends RuntimeException {
        final SdkException cause;

        StepFailed(SdkException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /**
     * Claims the step, or waits until another replica has done it.
     *
     * @return the name of this replica's claim, or empty when the step is done
     */
    private Optional<String> claim(String prefix, String context) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        String me = UUID.randomUUID().toString();
        int generation = 1;
        boolean told = false;
        while (true) {
            if (done(prefix).isPresent()) {
                return Optional.empty();
            }
            String name = CLAIM + generation;
            if (create(prefix + name, clock.millis() + " " + me)) {
                // done may have been written, and its claim removed, after the read above.
                if (done(prefix).isPresent()) {
                    delete(prefix + name);
                    return Optional.empty();
                }
                return Optional.of(name);
            }
            Optional<String> held = read(prefix + name);
            if (held.isEmpty()) {
                continue; // removed once done, between our create and our read
            }
            if (held.get().equals(RELEASED)) {
                generation++;
                continue;
            }
            if (claimedAt(held.get()) < clock.millis() - lease.toMillis()) {
                LOG.warnf(
                        "%s: the claim %s%s is older than the lease %s; taking the step over",
                        context, prefix, name, lease);
                generation++;
                continue;
            }
            if (!told) {
                LOG.infof("%s: another replica holds %s, waiting", context, prefix);
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw FunctionFailure.unavailable(
                        "%s: another replica has held %s for more than %s; try again later"
                                .formatted(context, prefix, maxWait),
                        null);
            }
            pause(context);
        }
    }

    /**
     * Creates {@code key} unless it exists.
     *
     * @return whether this call created it
     */
    private boolean create(String key, String body) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                    RequestBody.fromString(body, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            // 412: it exists; 409: another conditional create of it is in progress.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** When the holder of a claim made it, by its clock, from the claim's body. */
    private static long claimedAt(String claim) {
        int space = claim.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? claim : claim.substring(0, space));
        } catch (NumberFormatException e) {
            return 0; // not a claim this class wrote: as good as stale
        }
    }

    /**
     * Gives the step up after it failed, so that a re-delivery need not wait for the lease. Only
     * the claim's creator writes it again, so the plain overwrite is safe.
     */
    private void release(String key) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key),
                    RequestBody.fromString(RELEASED, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            LOG.warnf(
                    "could not release the once-claim %s (%s); others wait for its lease",
                    key, e.getMessage());
        }
    }

    /**
     * Writes {@code done}. The step already ran, so a failure here is not reported as the store
     * being down (the caller could then do the step again at once); a later copy may redo it.
     */
    private void markDone(String prefix, String context, String result) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(prefix + DONE),
                    RequestBody.fromString(result, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            LOG.warnf(
                    "%s: done, but its once-marker %s could not be written (%s); a re-delivery"
                            + " may do it again",
                    context, prefix, e.getMessage());
        }
    }

    private Optional<String> done(String prefix) {
        return read(prefix + DONE);
    }

    private Optional<String> read(String key) {
        try {
            return Optional.of(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
                            .asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            // Left behind after done, the claim is harmless: done is read first.
            LOG.warnf("could not remove the once-claim %s: %s", key, e.getMessage());
        }
    }

    private static void pause(String context) {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FunctionFailure.unavailable(context + ": interrupted while waiting", e);
        }
    }
}
