package dev.dumpflow.functions.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How readiness checks the bucket ({@code /q/health/ready}). */
@ConfigMapping(prefix = "dumpflow.health")
public interface HealthConfig {

    /** The bucket check. */
    Bucket bucket();

    /** {@code dumpflow.health.bucket.*}. */
    interface Bucket {

        /**
         * How long one HeadBucket may take, retries included, before the bucket counts as
         * unreachable: 2 seconds by default, well under the kubelet's probe timeout.
         */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How long an answer is reused, so that probes (every few seconds, from every kubelet and
         * the image's own check) do not each cost a request to S3: 5 seconds by default.
         */
        @WithDefault("5s")
        Duration cacheFor();
    }
}
