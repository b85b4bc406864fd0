package dev.dumpflow.functions.once;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How function replicas agree, through markers in the bucket, that a step happens once. */
@ConfigMapping(prefix = "dumpflow.once")
public interface OnceConfig {

    /**
     * How long a replica's claim on a step holds. A claim older than this is taken for that of a
     * crashed replica and passed over, so it must exceed the longest step (a Slack post with its
     * retries, an e-mail): 5 minutes by default.
     */
    @WithDefault("5m")
    Duration lease();

    /**
     * How long a delivery waits while another replica holds the step, before it answers 503 so that
     * the Broker delivers it again later (and it then finds the step done).
     */
    @WithDefault("30s")
    Duration maxWait();
}
