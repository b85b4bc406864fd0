package dev.dumpflow.functions.archive;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts the {@link TransferPace} of each transfer from {@code dumpflow.fetch.min-rate} and {@code
 * dumpflow.fetch.min-rate-window}, on the system's monotonic clock, and counts its cuts in {@link
 * ArchiveMetrics}. Created at start-up, so that a setting out of range stops the start-up rather
 * than the first archive.
 */
@Startup
@ApplicationScoped
class TransferPacing {

    private final TransferPace.Rule rule;
    private final ArchiveMetrics metrics;

    TransferPacing(ArchiveConfig config, ArchiveMetrics metrics) {
        this.rule = TransferPace.Rule.of(config.fetch());
        this.metrics = metrics;
    }

    /** The pace of one transfer of {@code size} bytes, starting now. */
    TransferPace start(String dumpId, long size) {
        return new TransferPace(dumpId, size, rule, System::nanoTime, metrics::transferCut);
    }
}
