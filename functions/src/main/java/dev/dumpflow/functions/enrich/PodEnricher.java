package dev.dumpflow.functions.enrich;

import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.TimeWindow;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Kubernetes API adds to an index record: the owning workload, the container's image,
 * restarts and last termination (OOMKilled, say), and the pod's recent Events, newest first.
 */
@ApplicationScoped
public class PodEnricher {

    private final PodLookup lookup;
    private final ClusterAccess cluster;
    private final KubernetesConfig config;

    PodEnricher(PodLookup lookup, ClusterAccess cluster, KubernetesConfig config) {
        this.lookup = lookup;
        this.cluster = cluster;
        this.config = config;
    }

    /**
     * The context of the dump's pod; empty when the API cannot tell (see {@link ClusterAccess}).
     */
    public Optional<KubernetesContext> enrich(String dumpId, PodIdentity pod) {
        return lookup.find("dumpId=" + dumpId, pod)
                .map(view -> context(view, pod.container(), recentEvents(dumpId, view.pod())));
    }

    private static KubernetesContext context(
            PodView view, String container, List<KubernetesContext.PodEvent> events) {
        ContainerStatus status = status(view.pod(), container);
        String image = status != null ? status.getImage() : specImage(view.pod(), container);
        ContainerStateTerminated last =
                status == null || status.getLastState() == null
                        ? null
                        : status.getLastState().getTerminated();
        return new KubernetesContext(
                view.workload(),
                image,
                status == null ? null : status.getRestartCount(),
                last == null ? null : last.getReason(),
                last == null ? null : instant(last.getFinishedAt()),
                events);
    }

    private List<KubernetesContext.PodEvent> recentEvents(String dumpId, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        List<Event> events =
                cluster.read(
                                "dumpId=" + dumpId,
                                client -> {
                                    var inNamespace = client.v1().events().inNamespace(namespace);
                                    return (config.eventsFieldSelector()
                                                    ? inNamespace
                                                            .withField("involvedObject.name", name)
                                                            .list()
                                                    : inNamespace.list())
                                            .getItems();
                                })
                        .orElse(List.of());
        // The field selector narrows the list on a real API server; the filter keeps it right
        // wherever a server ignores the selector.
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null)
                .filter(e -> "Pod".equals(e.getInvolvedObject().getKind()))
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .map(PodEnricher::podEvent)
                .sorted(
                        Comparator.comparing(
                                        KubernetesContext.PodEvent::lastSeen,
                                        Comparator.nullsFirst(Comparator.naturalOrder()))
                                .reversed())
                .limit(Math.max(0, config.maxEvents()))
                .toList();
    }

    private static KubernetesContext.PodEvent podEvent(Event e) {
        Instant lastSeen = instant(e.getLastTimestamp());
        if (lastSeen == null && e.getEventTime() != null) {
            lastSeen = instant(e.getEventTime().getTime());
        }
        if (lastSeen == null && e.getMetadata() != null) {
            lastSeen = instant(e.getMetadata().getCreationTimestamp());
        }
        return new KubernetesContext.PodEvent(
                e.getType(), e.getReason(), e.getMessage(), e.getCount(), lastSeen);
    }

    private static ContainerStatus status(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName()))
                .findFirst()
                .orElse(null);
    }

    private static String specImage(Pod pod, String container) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> container.equals(c.getName()))
                .map(c -> c.getImage())
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /**
     * Kubernetes timestamps are RFC 3339; an unreadable one, or one outside what the events carry
     * ({@link TimeWindow}), is left out, not fatal.
     */
    private static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(timestamp).toInstant();
            return TimeWindow.contains(instant) ? instant : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
