package dev.dumpflow.functions.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The download links notify signs for its messages; the bucket is {@code BucketConfig}'s. */
@ConfigMapping(prefix = "dumpflow.presign")
public interface PresignConfig {

    /** Whether messages carry a download link; off where links are unwanted. */
    @WithDefault("true")
    boolean enabled();

    /** How long a link works: more than 0, at most 7 days (the SigV4 maximum). */
    @WithDefault("24h")
    Duration ttl();
}
