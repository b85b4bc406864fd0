package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the Kubernetes API said about the pod when the dump was indexed.
 *
 * @param workload the owning workload, found through ownerReferences
 * @param image the container's image
 * @param restartCount the container's restart count
 * @param lastTerminationReason why the container last terminated, for example {@code OOMKilled}
 * @param lastTerminatedAt when it last terminated
 * @param recentEvents the pod's recent Events, newest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KubernetesContext(
        PodIdentity.Workload workload,
        String image,
        Integer restartCount,
        String lastTerminationReason,
        Instant lastTerminatedAt,
        List<PodEvent> recentEvents) {

    public KubernetesContext {
        Checks.timeOrNull(lastTerminatedAt, "kubernetes.lastTerminatedAt");
        recentEvents = recentEvents == null ? List.of() : List.copyOf(recentEvents);
    }

    /**
     * One Kubernetes Event about the pod.
     *
     * @param type {@code Normal} or {@code Warning}
     * @param reason the event's reason, for example {@code BackOff}
     * @param message the event's message
     * @param count how often it happened
     * @param lastSeen when it last happened
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodEvent(
            String type, String reason, String message, Integer count, Instant lastSeen) {

        public PodEvent {
            Checks.timeOrNull(lastSeen, "kubernetes.recentEvents.lastSeen");
        }
    }
}
