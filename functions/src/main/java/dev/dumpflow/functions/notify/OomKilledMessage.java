package dev.dumpflow.functions.notify;

import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.HumanBytes;
import java.util.List;
import java.util.Locale;

/** The alert for a container the kernel killed for memory: the kill, the verdict, the evidence. */
final class OomKilledMessage {

    private OomKilledMessage() {}

    static Notification of(
            ContainerOomKilled killed, Notification.Link link, List<String> teamRecipients) {
        PodIdentity pod = killed.pod();
        ContainerOomKilled.Verdict verdict = killed.verdict();
        ContainerOomKilled.LastDump dump = killed.lastDump();
        ContainerOomKilled.LastThreshold threshold = killed.lastThreshold();
        Facts facts =
                new Facts()
                        .pod(pod, pod.workload())
                        .add("Killed at", killed.finishedAt())
                        .add("Exit code", killed.exitCode())
                        .add("Memory limit", HumanBytes.format(killed.limitBytes()))
                        .add("Verdict", verdict.kind().wire())
                        .add("Heap in the last dump", heap(verdict))
                        .add(
                                "Last dump",
                                dump == null
                                        ? "none before the kill"
                                        : "%s (%s, closed %s, %d s before the kill)"
                                                .formatted(
                                                        dump.dumpId(),
                                                        dump.cause().wire(),
                                                        dump.closedAt(),
                                                        dump.secondsBeforeKill()))
                        .add(
                                "Last threshold crossed",
                                threshold == null
                                        ? "none before the kill"
                                        : "RSS %s over %s at %s"
                                                .formatted(
                                                        HumanBytes.format(threshold.rssBytes()),
                                                        HumanBytes.format(
                                                                threshold.thresholdBytes()),
                                                        threshold.at()))
                        .add("Why", verdict.explanation());
        return new Notification(
                "pod=%s/%s container=%s".formatted(pod.namespace(), pod.name(), killed.container()),
                Notification.Severity.ALERT,
                "OOMKilled: container %s of %s (verdict: %s)"
                        .formatted(
                                killed.container(),
                                Facts.origin(pod, pod.workload()),
                                verdict.kind().wire()),
                facts.list(),
                List.of(),
                link,
                teamRecipients);
    }

    private static String heap(ContainerOomKilled.Verdict verdict) {
        if (verdict.heapBytes() == null) {
            return null;
        }
        if (verdict.limitBytes() == null || verdict.limitBytes() == 0) {
            return HumanBytes.format(verdict.heapBytes());
        }
        return String.format(
                Locale.ROOT,
                "%s (%.0f%% of the limit)",
                HumanBytes.format(verdict.heapBytes()),
                100.0 * verdict.heapBytes() / verdict.limitBytes());
    }
}
