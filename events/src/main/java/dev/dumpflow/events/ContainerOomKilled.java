package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * Data of {@link EventTypes#CONTAINER_OOMKILLED}: the kernel killed a container for exceeding its
 * memory limit, with the evidence dumpflow holds about it and what that evidence says.
 *
 * @param pod the pod as the Kubernetes API showed it, with {@code container} as its container
 * @param container the killed container
 * @param limitBytes the container's memory limit, if it has one
 * @param exitCode the exit code of the killed process, 137 for a SIGKILL
 * @param finishedAt when the container was killed, as the kubelet recorded it
 * @param lastDump the pod's last stored dump of that container before the kill, or null; written as
 *     {@code null} rather than left out, so that a reader sees there was none
 * @param lastThreshold the pod's last memory threshold crossing before the kill, or null, written
 *     as {@code null} likewise
 * @param verdict what filled the memory, as far as the evidence tells
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerOomKilled(
        PodIdentity pod,
        String container,
        Long limitBytes,
        int exitCode,
        Instant finishedAt,
        @JsonInclude(JsonInclude.Include.ALWAYS) LastDump lastDump,
        @JsonInclude(JsonInclude.Include.ALWAYS) LastThreshold lastThreshold,
        Verdict verdict) {

    public ContainerOomKilled {
        Checks.nonNull(pod, "pod");
        Checks.nonBlank(container, "container");
        if (!container.equals(pod.container())) {
            throw new IllegalArgumentException(
                    "pod.container " + pod.container() + " differs from container " + container);
        }
        Checks.nonNegativeOrNull(limitBytes, "limitBytes");
        Checks.nonNull(finishedAt, "finishedAt");
        Checks.nonNull(verdict, "verdict");
    }

    /**
     * The last dump stored of the container before it was killed.
     *
     * @param dumpId the dump's id
     * @param cause why it was written
     * @param closedAt when its file was closed
     * @param secondsBeforeKill how long before the kill it was closed
     */
    public record LastDump(
            String dumpId, DumpCause cause, Instant closedAt, long secondsBeforeKill) {
        public LastDump {
            Checks.dumpId(dumpId);
            Checks.nonNull(cause, "lastDump.cause");
            Checks.nonNull(closedAt, "lastDump.closedAt");
            Checks.nonNegative(secondsBeforeKill, "lastDump.secondsBeforeKill");
        }
    }

    /**
     * The last memory threshold the container's process crossed before the kill.
     *
     * @param rssBytes the resident set size that crossed it
     * @param thresholdBytes the threshold
     * @param at when it was crossed, by the sidecar's clock
     */
    public record LastThreshold(long rssBytes, long thresholdBytes, Instant at) {
        public LastThreshold {
            Checks.nonNegative(rssBytes, "lastThreshold.rssBytes");
            Checks.nonNegative(thresholdBytes, "lastThreshold.thresholdBytes");
            Checks.nonNull(at, "lastThreshold.at");
        }
    }

    /**
     * What filled the container's memory, judged from the last dump's heap against the limit.
     *
     * @param kind the judgement
     * @param heapBytes the last dump's heap total (the shallow size of every object), when a dump
     *     with a heap analysis exists
     * @param limitBytes the container's memory limit, if it has one
     * @param explanation the judgement for a person: the figures, and what to look at next
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(Kind kind, Long heapBytes, Long limitBytes, String explanation) {

        public Verdict {
            Checks.nonNull(kind, "verdict.kind");
            Checks.nonNegativeOrNull(heapBytes, "verdict.heapBytes");
            Checks.nonNegativeOrNull(limitBytes, "verdict.limitBytes");
            Checks.nonBlank(explanation, "verdict.explanation");
            if (kind != Kind.UNKNOWN && (heapBytes == null || limitBytes == null)) {
                throw new IllegalArgumentException(
                        "a " + kind.wire() + " verdict needs heapBytes and limitBytes");
            }
        }

        /** The judgements a verdict can make. */
        public enum Kind {
            /** The last dump's heap held at least the configured share of the limit. */
            HEAP("heap"),
            /** A dump exists, but its heap held less: the memory went elsewhere. */
            NON_HEAP("non-heap"),
            /** No dump with a heap analysis tells. */
            UNKNOWN("unknown");

            private final String wire;

            Kind(String wire) {
                this.wire = wire;
            }

            /** The value as it appears in JSON. */
            @JsonValue
            public String wire() {
                return wire;
            }

            /** Parses the JSON value. */
            @JsonCreator
            public static Kind of(String wire) {
                return Wire.parse(Kind.class, values(), wire, Kind::wire);
            }
        }
    }
}
