package dev.dumpflow.functions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * The one bucket that holds the dumps and index records, {@code dumpflow.bucket}. Its own tiny
 * mapping, rooted at the name itself, so that every feature that needs the bucket reads it the same
 * way without owning the whole {@code dumpflow.*} namespace.
 */
@ConfigMapping(prefix = "dumpflow.bucket")
public interface BucketConfig {

    /** {@code dumpflow.bucket}: name of the bucket. Required. */
    @WithParentName
    String name();
}
