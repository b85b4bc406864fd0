package dev.dumpflow.functions.growth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the index compares a dump with the earlier dumps of its workload. */
@ConfigMapping(prefix = "dumpflow.growth")
public interface GrowthConfig {

    /**
     * How far back, from this dump's close, an earlier dump of the workload still counts. The index
     * lists one date partition per day of it, newest first, so it bounds the listing too.
     */
    @WithDefault("P7D")
    Duration lookBack();

    /** How many classes the index record's {@code growth} lists, largest growth in bytes first. */
    @WithDefault("20")
    int topClasses();
}
