package dev.dumpflow.functions.oom;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How an OOM kill is judged, and how far back the evidence is looked for. */
@ConfigMapping(prefix = "dumpflow.oom")
public interface OomConfig {

    /**
     * The share of the container's memory limit that the last dump's heap must reach for the
     * verdict {@code heap}; below it the verdict is {@code non-heap}. More than 0, at most 1. The
     * default leaves the rest of the limit to what a JVM holds outside its heap: metaspace, code
     * cache, thread stacks, direct buffers and the GC's own structures.
     */
    @WithDefault("0.6")
    double heapShare();

    /**
     * How long before the kill to look for the pod's last dump and threshold crossing, never
     * further back than the pod's creation. Each day of it may cost one listing of the workload's
     * index folder of that day.
     */
    @WithDefault("7d")
    Duration lookBack();
}
