package dev.dumpflow.functions.oom;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * Reads from a pod which of its containers the kernel killed for memory: those whose last state is
 * {@code terminated} with the reason {@code OOMKilled}, as the kubelet records it after the kill
 * and keeps until the next termination.
 */
final class KilledContainers {

    /** The reason the kubelet gives a container the kernel's OOM killer ended. */
    static final String OOM_KILLED = "OOMKilled";

    private KilledContainers() {}

    /**
     * One OOM kill of a container.
     *
     * @param container the container's name
     * @param exitCode its process's exit code, 137 for SIGKILL
     * @param finishedAt when it was killed
     */
    record Kill(String container, int exitCode, Instant finishedAt) {}

    /**
     * The OOM kills a pod's application containers show, in the pod's order. A kill without a
     * readable {@code finishedAt} is left out: it cannot be told apart from the next one.
     */
    static List<Kill> of(Pod pod) {
        if (pod == null
                || pod.getStatus() == null
                || pod.getStatus().getContainerStatuses() == null) {
            return List.of();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(KilledContainers::kill)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The memory limit of a container of the pod in bytes; null when it has none. */
    static Long limitBytes(Pod pod, String container) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> container.equals(c.getName()))
                .map(Container::getResources)
                .filter(r -> r != null && r.getLimits() != null)
                .map(r -> r.getLimits().get("memory"))
                .filter(Objects::nonNull)
                .map(KilledContainers::bytes)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private static Kill kill(ContainerStatus status) {
        ContainerStateTerminated terminated =
                status.getLastState() == null ? null : status.getLastState().getTerminated();
        if (terminated == null || !OOM_KILLED.equals(terminated.getReason())) {
            return null;
        }
        Instant finishedAt = instant(terminated.getFinishedAt());
        if (finishedAt == null || status.getName() == null) {
            return null;
        }
        int exitCode = terminated.getExitCode() == null ? 137 : terminated.getExitCode();
        return new Kill(status.getName(), exitCode, finishedAt);
    }

    private static Long bytes(Quantity quantity) {
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(quantity);
            return bytes.signum() < 0 ? null : bytes.longValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Kubernetes timestamps are RFC 3339; an unreadable one is no timestamp. */
    static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
