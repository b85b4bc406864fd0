package dev.dumpflow.functions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on the events the functions take. */
@ConfigMapping(prefix = "dumpflow.events")
public interface EventGateConfig {

    /**
     * The largest event body, in bytes, that a function takes; larger ones are answered 413. A
     * dumpflow event, heap summary included, is a few kilobytes.
     */
    @WithDefault("1048576")
    long maxBytes();
}
