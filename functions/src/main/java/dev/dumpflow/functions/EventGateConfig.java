package dev.dumpflow.functions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on the events the functions take. */
@ConfigMapping(prefix = "dumpflow.events")
public interface EventGateConfig {

    /**
     * The largest event body, in bytes, that a function takes; larger ones are answered 413. A
     * dumpflow event is a few kilobytes, but a heap summary names classes, and a generated class
     * name may be tens of kilobytes: the default leaves room for megabytes of them, below Quarkus'
     * own 10 MiB body limit.
     */
    @WithDefault("8388608")
    long maxBytes();
}
