package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@link EventTypes#MEMORY_THRESHOLD_CROSSED}: a watched process's memory rose past a
 * threshold.
 *
 * @param pid the process id, as the sidecar sees it in the shared PID namespace
 * @param command the process's command line, shortened
 * @param runtime the process's runtime
 * @param rssBytes the resident set size that crossed the threshold
 * @param limitBytes the container's memory limit, if known
 * @param thresholdBytes the threshold that was crossed
 * @param rule the configured rule that made the threshold, for example {@code 1Gi,x2} or {@code
 *     80%}
 * @param nextThresholdBytes the next threshold that would fire, if any
 * @param captureSkipped why no dump was captured for this crossing, if one was due and was not
 * @param pod the pod and container
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryThresholdCrossed(
        long pid,
        String command,
        ProcessRuntime runtime,
        long rssBytes,
        Long limitBytes,
        long thresholdBytes,
        String rule,
        Long nextThresholdBytes,
        String captureSkipped,
        PodIdentity pod) {

    public MemoryThresholdCrossed {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, was " + pid);
        }
        Checks.nonNull(command, "command");
        Checks.nonNull(runtime, "runtime");
        Checks.nonNegative(rssBytes, "rssBytes");
        Checks.nonNegativeOrNull(limitBytes, "limitBytes");
        Checks.nonNegative(thresholdBytes, "thresholdBytes");
        Checks.identifier(rule, "rule", Checks.IDENTIFIER_MAX);
        Checks.nonNegativeOrNull(nextThresholdBytes, "nextThresholdBytes");
        Checks.nonNull(pod, "pod");
    }
}
