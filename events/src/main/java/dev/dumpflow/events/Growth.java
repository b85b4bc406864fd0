package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What grew in a workload's heap since its previous dump: the exact differences of the two dumps'
 * full class histograms (kept at {@link StorageLayout#histogramKey}), not of their top lists, so a
 * class that was small before still shows. One dump says what is big; two say what grows, which is
 * the leak signal.
 *
 * @param previousDumpId the newest earlier dump of the same workload (namespace and workload, else
 *     the pod; same container) within the look-back, which had a full histogram
 * @param previousClosedAt when that dump was closed
 * @param interval from {@code previousClosedAt} to this dump's close, an ISO-8601 duration such as
 *     {@code PT2H}, in whole seconds (a fraction is rounded up, as JSON Schema's {@code duration}
 *     format has no fractions)
 * @param classes the classes that grew most in shallow bytes, largest growth first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Growth(
        String previousDumpId,
        Instant previousClosedAt,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval,
        List<ClassGrowth> classes) {

    public Growth {
        Checks.dumpId(previousDumpId);
        Checks.nonNull(previousClosedAt, "previousClosedAt");
        Checks.nonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "interval must be positive: the previous dump is older, was " + interval);
        }
        if (interval.getNano() != 0) {
            interval = Duration.ofSeconds(interval.getSeconds() + 1);
        }
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /**
     * How one class changed between the two dumps.
     *
     * @param className the class name in the form of {@link HeapSummary.ClassStat#className()}, for
     *     example {@code java.util.HashMap$Node} or {@code byte[]}
     * @param instancesDelta this dump's instances minus the previous dump's; negative when there
     *     are fewer, larger instances (arrays)
     * @param bytesDelta this dump's shallow bytes minus the previous dump's
     * @param monotonic whether the class grew in shallow bytes at every step of the last three
     *     dumps of the workload in the look-back; false when there were only two, since one step
     *     proves no trend. The notification leads with these classes as leak suspects.
     */
    public record ClassGrowth(
            String className, long instancesDelta, long bytesDelta, boolean monotonic) {
        public ClassGrowth {
            Checks.nonBlank(className, "className");
        }
    }
}
