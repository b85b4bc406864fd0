package dev.dumpflow.functions.index;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The download links that come with index records; the bucket is {@code BucketConfig}'s. */
@ConfigMapping(prefix = "dumpflow")
public interface IndexConfig {

    /** Presigned download links put into {@code dump.indexed}. */
    Presign presign();

    /** Presigned GET links to stored dumps. */
    interface Presign {

        /** Whether {@code dump.indexed} carries a download link; off where links are unwanted. */
        @WithDefault("true")
        boolean enabled();

        /** How long a link works: more than 0, at most 7 days (the SigV4 maximum). */
        @WithDefault("24h")
        Duration ttl();
    }
}
