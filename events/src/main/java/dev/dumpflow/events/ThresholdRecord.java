package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One memory threshold crossing as kept at {@link StorageLayout#thresholdKey}, so that the verdict
 * on a later OOM kill of the pod can name the last one.
 *
 * @param at when the threshold was crossed, by the sidecar's clock (the event's {@code time})
 * @param crossed the crossing, as the sidecar reported it and notify verified it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThresholdRecord(Instant at, MemoryThresholdCrossed crossed) {

    public ThresholdRecord {
        Checks.nonNull(at, "at");
        Checks.nonNull(crossed, "crossed");
    }
}
