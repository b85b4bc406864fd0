package dev.dumpflow.functions.once;

import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs a step once across every replica of the functions, with markers in the bucket: Knative
 * delivers at least once, and the copies of an event may reach different replicas at the same time.
 *
 * <p>Why not {@code If-None-Match: *}: on AWS S3 a conditional PutObject of a {@code done} marker
 * would do, but the S3Proxy that the tests and the local stack run ignores it (see {@code
 * S3ProxyConditionalWriteTest}), and so do other S3-compatible stores. This uses only PUT, LIST and
 * DELETE with read-after-write consistency, which every S3 has: Lamport's bakery algorithm, one
 * object per register. A replica marks itself {@code choosing}, takes a ticket one above every
 * ticket it lists, drops its {@code choosing}, then waits until no one is choosing and no ticket
 * below its own is left; it then runs the step, writes {@code done} and removes its ticket. A
 * ticket or choosing mark older than the lease is a crashed replica's, and ignored.
 */
@ApplicationScoped
public class OnceMarkers {

    private static final Logger LOG = Logger.getLogger(OnceMarkers.class);
    private static final String DONE = "done";
    private static final String CHOOSING = "choosing-";
    private static final String TICKET = "ticket-";
    private static final Duration POLL = Duration.ofMillis(100);

    private final S3Client s3;
    private final String bucket;
    private final Duration lease;
    private final Duration maxWait;
    private final Clock clock;

    @Inject
    OnceMarkers(S3Client s3, BucketConfig bucket, OnceConfig config) {
        this(s3, bucket.name(), config.lease(), config.maxWait(), Clock.systemUTC());
    }

    /** For replicas made by hand in tests: each instance is a replica of its own. */
    public OnceMarkers(S3Client s3, String bucket, Duration lease, Duration maxWait, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.lease = lease;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /**
     * Runs {@code step} unless some replica already did it under {@code prefix}.
     *
     * @param prefix the step's marker folder, from {@code StorageLayout.markerPrefix}
     * @param context what to put in front of log lines, such as {@code dumpId=...}
     * @param step does the work and returns what the {@code done} marker keeps (a short ASCII text,
     *     for example the key it wrote), for duplicates to read
     * @return what the step returned, here or in the replica that ran it
     * @throws StoreUnavailable when S3 does not answer: the caller decides between failing and
     *     doing the step without the guarantee
     * @throws FunctionFailure unavailable when another replica holds the step for longer than the
     *     max wait; whatever {@code step} throws, after the claim is released
     */
    public Done once(String prefix, String context, Supplier<String> step) {
        try {
            Optional<String> before = done(prefix);
            if (before.isPresent()) {
                return new Done(false, before.get());
            }
            String me = "%013d-%s".formatted(clock.millis(), UUID.randomUUID());
            String ticket = claim(prefix, me);
            try {
                if (!awaitTurn(prefix, ticket, context)) {
                    return new Done(false, done(prefix).orElse(""));
                }
                String result;
                try {
                    result = step.get();
                } catch (SdkException e) {
                    // The step's own S3 failure, not the markers': the caller must see it as is.
                    throw new StepFailed(e);
                }
                markDone(prefix, context, result);
                return new Done(true, result);
            } finally {
                delete(prefix + ticket);
            }
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

    /** Takes a ticket one above every live one and returns its name. */
    private String claim(String prefix, String me) {
        put(prefix + CHOOSING + me);
        try {
            long highest =
                    live(prefix).stream()
                            .filter(n -> n.startsWith(TICKET))
                            .mapToLong(OnceMarkers::number)
                            .max()
                            .orElse(0);
            String ticket = "%s%019d-%s".formatted(TICKET, highest + 1, me);
            put(prefix + ticket);
            return ticket;
        } finally {
            delete(prefix + CHOOSING + me);
        }
    }

    /**
     * Waits until the step is ours, or done by another.
     *
     * @return true when ours, false when done
     */
    private boolean awaitTurn(String prefix, String ticket, String context) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean told = false;
        while (true) {
            List<String> names = live(prefix);
            if (names.contains(DONE)) {
                return false;
            }
            Optional<String> blocker =
                    names.stream()
                            .filter(
                                    n ->
                                            n.startsWith(CHOOSING)
                                                    || (n.startsWith(TICKET)
                                                            && n.compareTo(ticket) < 0))
                            .findFirst();
            if (blocker.isEmpty()) {
                // The list did not show done; a read begun after it cannot miss a done written
                // before a ticket that the list no longer showed was removed.
                return done(prefix).isEmpty();
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
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FunctionFailure.unavailable(context + ": interrupted while waiting", e);
            }
        }
    }

    /** The names under the prefix, without marks older than the lease ({@code done} stays). */
    private List<String> live(String prefix) {
        long oldest = clock.millis() - lease.toMillis();
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .filter(k -> !k.endsWith("/"))
                .map(k -> k.substring(prefix.length()))
                .filter(n -> n.equals(DONE) || since(n) >= oldest)
                .toList();
    }

    /** When a mark was made, from the millis in its name; 0 (expired) when it has none. */
    private static long since(String name) {
        String rest =
                name.startsWith(TICKET)
                        ? name.substring(name.indexOf('-', TICKET.length()) + 1)
                        : name.startsWith(CHOOSING) ? name.substring(CHOOSING.length()) : "";
        try {
            return Long.parseLong(rest.substring(0, Math.min(13, rest.length())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long number(String ticket) {
        try {
            return Long.parseLong(
                    ticket.substring(TICKET.length(), ticket.indexOf('-', TICKET.length())));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private Optional<String> done(String prefix) {
        try {
            return Optional.of(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + DONE))
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

    private void put(String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty());
    }

    private void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            // Left behind, the mark only delays others until its lease runs out.
            LOG.warnf("could not remove the once-mark %s: %s", key, e.getMessage());
        }
    }
}
