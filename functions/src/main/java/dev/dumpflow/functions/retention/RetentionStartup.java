package dev.dumpflow.functions.retention;

import dev.dumpflow.functions.BucketConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * With {@code dumpflow.retention.manage=true}, applies the retention rules to {@code
 * dumpflow.bucket} once at start-up, for buckets that Terraform did not make (MinIO, an existing
 * bucket). A store without lifecycle support is reported and start-up goes on; any other refusal
 * stops start-up, because the operator asked for rules that are not there.
 */
@Singleton
public class RetentionStartup {

    private final RetentionConfig config;
    private final BucketConfig bucket;
    private final LifecycleApplier applier;

    RetentionStartup(RetentionConfig config, BucketConfig bucket, LifecycleApplier applier) {
        this.config = config;
        this.bucket = bucket;
        this.applier = applier;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.manage()) {
            apply();
        }
    }

    /** Applies the configured rules to the configured bucket now. */
    public LifecycleApplier.Outcome apply() {
        return applier.apply(bucket.name(), RetentionRules.from(config).lifecycleRules());
    }
}
