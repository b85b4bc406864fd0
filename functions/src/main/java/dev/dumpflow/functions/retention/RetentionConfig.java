package dev.dumpflow.functions.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * How long stored dumps and index records live. The defaults equal those of {@code terraform/}
 * (TerraformModuleTest checks it), so a bucket gets the same rules whoever applies them.
 */
@ConfigMapping(prefix = "dumpflow.retention")
public interface RetentionConfig {

    /**
     * {@code dumpflow.retention.manage}: whether the functions apply the lifecycle rules to {@code
     * dumpflow.bucket} at start-up. Leave false where Terraform owns the bucket.
     */
    @WithDefault("false")
    boolean manage();

    /** {@code dumpflow.retention.dump-days}: days after which a dump under dumps/ expires. */
    @WithDefault("14")
    int dumpDays();

    /** {@code dumpflow.retention.index-days}: days after which an index record expires. */
    @WithDefault("90")
    int indexDays();

    /**
     * {@code dumpflow.retention.transition-days}: days after which a dump moves to {@link
     * #transitionStorageClass()}; unset keeps dumps in STANDARD until they expire.
     */
    OptionalInt transitionDays();

    /**
     * {@code dumpflow.retention.transition-storage-class}: where dumps move after {@link
     * #transitionDays()}.
     */
    @WithDefault("STANDARD_IA")
    TransitionClass transitionStorageClass();

    /**
     * {@code dumpflow.retention.abort-incomplete-multipart-days}: days after which an unfinished
     * multipart upload of a dump is aborted.
     */
    @WithDefault("1")
    int abortIncompleteMultipartDays();

    /** {@code dumpflow.retention.local-expiry.*}: the local stack's own sweeper. */
    LocalExpiry localExpiry();

    /**
     * The sweeper for stores without lifecycle support, such as the local stack's embedded S3: it
     * deletes expired dumps and index records itself.
     */
    interface LocalExpiry {

        /** {@code dumpflow.retention.local-expiry.enabled}: whether the sweeper runs. */
        @WithDefault("false")
        boolean enabled();

        /** {@code dumpflow.retention.local-expiry.interval}: time between two sweeps. */
        @WithDefault("PT1H")
        Duration interval();
    }
}
