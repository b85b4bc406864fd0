package dev.dumpflow.functions.retention;

import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.redact.RedactionConfig;
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
    private final RedactionConfig redaction;

    RetentionStartup(
            RetentionConfig config,
            BucketConfig bucket,
            LifecycleApplier applier,
            RedactionConfig redaction) {
        this.config = config;
        this.bucket = bucket;
        this.applier = applier;
        this.redaction = redaction;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.manage()) {
            apply();
        }
    }

    /**
     * Applies the configured rules to the configured bucket now: with {@code
     * dumpflow.redaction.keep-original}, also the rule that expires the originals under {@code
     * raw/}.
     */
    public LifecycleApplier.Outcome apply() {
        return applier.apply(
                bucket.name(), RetentionRules.from(config).wanted(redaction.keepOriginal()));
    }
}
