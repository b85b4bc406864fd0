package dev.dumpflow.functions.retention;

import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts dumpflow's lifecycle rules on a bucket that Terraform did not make. Idempotent: it reads the
 * bucket's configuration, merges by rule ID, leaves other rules alone and writes only a change.
 */
@Singleton
public class LifecycleApplier {

    private static final Logger LOG = Logger.getLogger(LifecycleApplier.class);

    /** What applying the rules did. */
    public enum Outcome {
        /** The bucket had other rules, or none: the merged configuration was written. */
        UPDATED,
        /** The bucket already had exactly the wanted rules: nothing was written. */
        UNCHANGED,
        /** The store has no lifecycle support (it answered 501): nothing was written. */
        UNSUPPORTED
    }

    private final S3Client s3;

    public LifecycleApplier(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Applies the wanted rules to the bucket.
     *
     * @throws S3Exception when the store refuses for another reason than missing lifecycle support,
     *     such as a missing bucket or permission
     */
    public Outcome apply(String bucket, List<ManagedRule> wanted) {
        List<LifecycleRule> current;
        try {
            current = currentRules(bucket);
        } catch (S3Exception e) {
            if (notImplemented(e)) {
                return unsupported(bucket, e);
            }
            throw e;
        }
        LifecycleMerge merge = LifecycleMerge.of(current, wanted);
        if (!merge.changed()) {
            LOG.infof("Lifecycle rules of bucket %s already match dumpflow's retention", bucket);
            return Outcome.UNCHANGED;
        }
        try {
            s3.putBucketLifecycleConfiguration(
                    put -> put.bucket(bucket).lifecycleConfiguration(c -> c.rules(merge.rules())));
        } catch (S3Exception e) {
            if (notImplemented(e)) {
                return unsupported(bucket, e);
            }
            throw e;
        }
        LOG.infof(
                "Applied dumpflow's lifecycle rules %s to bucket %s; %d other rule(s) kept",
                wanted.stream().map(ManagedRule::id).toList(),
                bucket,
                merge.rules().size() - wanted.size());
        return Outcome.UPDATED;
    }

    private List<LifecycleRule> currentRules(String bucket) {
        try {
            return s3.getBucketLifecycleConfiguration(get -> get.bucket(bucket)).rules();
        } catch (S3Exception e) {
            if ("NoSuchLifecycleConfiguration".equals(errorCode(e))) {
                return List.of();
            }
            throw e;
        }
    }

    private static Outcome unsupported(String bucket, S3Exception e) {
        LOG.warnf(
                "The S3 store of bucket %s does not support lifecycle configuration (%d %s):"
                        + " dumpflow.retention.manage has no effect there, expire old dumps another"
                        + " way (dumpflow.retention.local-expiry.enabled=true)",
                bucket, e.statusCode(), errorCode(e));
        return Outcome.UNSUPPORTED;
    }

    private static boolean notImplemented(S3Exception e) {
        return e.statusCode() == 501 || "NotImplemented".equals(errorCode(e));
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
