package dev.dumpflow.functions.health;

import dev.dumpflow.functions.BucketConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Readiness fails while the bucket cannot be reached: every function needs it, so a replica that
 * cannot reach it should get no events (the Broker retries them on another, or later). One
 * HeadBucket with a short timeout, its answer reused for a few seconds.
 */
@Readiness
@ApplicationScoped
public class BucketReadiness implements HealthCheck {

    private final S3Client s3;
    private final String bucket;
    private final Duration timeout;
    private final long cacheNanos;
    private final LongSupplier nanoTime;
    private HealthCheckResponse last;
    private long checkedAt;

    @Inject
    BucketReadiness(S3Client s3, BucketConfig bucket, HealthConfig config) {
        this(
                s3,
                bucket.name(),
                config.bucket().timeout(),
                config.bucket().cacheFor(),
                System::nanoTime);
    }

    /** For tests: a check of its own, on any client. */
    public BucketReadiness(
            S3Client s3,
            String bucket,
            Duration timeout,
            Duration cacheFor,
            LongSupplier nanoTime) {
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = timeout;
        this.cacheNanos = cacheFor.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = nanoTime.getAsLong();
        if (last == null || now - checkedAt >= cacheNanos) {
            last = check();
            checkedAt = nanoTime.getAsLong();
        }
        return last;
    }

    private HealthCheckResponse check() {
        try {
            s3.headBucket(
                    b ->
                            b.bucket(bucket)
                                    .overrideConfiguration(
                                            c ->
                                                    c.apiCallTimeout(timeout)
                                                            .apiCallAttemptTimeout(timeout)));
            return HealthCheckResponse.named("bucket").withData("bucket", bucket).up().build();
        } catch (SdkException e) {
            return HealthCheckResponse.named("bucket")
                    .withData("bucket", bucket)
                    .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .down()
                    .build();
        }
    }
}
