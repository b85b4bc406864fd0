package dev.dumpflow.functions.notify;

import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.HumanBytes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The early warning for a process whose memory crossed a threshold. */
final class ThresholdMessage {

    private ThresholdMessage() {}

    static Notification of(
            MemoryThresholdCrossed crossed,
            PodIdentity.Workload workload,
            ThresholdGate.Decision decision,
            List<String> teamRecipients) {
        PodIdentity pod = crossed.pod();
        Facts facts =
                new Facts()
                        .pod(pod, workload)
                        .add("PID", crossed.pid())
                        .add("Command", crossed.command())
                        .add("Runtime", crossed.runtime().wire())
                        .add("RSS", HumanBytes.format(crossed.rssBytes()))
                        .add("Threshold", HumanBytes.format(crossed.thresholdBytes()))
                        .add("Limit", HumanBytes.format(crossed.limitBytes()))
                        .add("RSS of limit", percent(crossed.rssBytes(), crossed.limitBytes()))
                        .add("Rule", crossed.rule())
                        .add("Next threshold", HumanBytes.format(crossed.nextThresholdBytes()))
                        .add("Capture skipped", crossed.captureSkipped());
        if (decision.suppressed() > 0) {
            facts.add(
                    "Also crossed",
                    "%d more crossing(s) in this workload since %s, not sent one by one"
                            .formatted(decision.suppressed(), since(decision.suppressedSince())));
        }
        return new Notification(
                "pod=" + pod.namespace() + "/" + pod.name() + " pid=" + crossed.pid(),
                Notification.Severity.WARNING,
                "Memory of %s crossed %s (RSS %s%s)"
                        .formatted(
                                Facts.origin(pod, workload),
                                HumanBytes.format(crossed.thresholdBytes()),
                                HumanBytes.format(crossed.rssBytes()),
                                crossed.limitBytes() == null
                                        ? ""
                                        : " of " + HumanBytes.format(crossed.limitBytes())),
                facts.list(),
                List.of(),
                null,
                teamRecipients);
    }

    private static String percent(long rss, Long limit) {
        return limit == null || limit == 0
                ? null
                : String.format(Locale.ROOT, "%.0f%%", 100.0 * rss / limit);
    }

    private static String since(Instant instant) {
        return instant == null ? "the last warning" : instant.toString();
    }
}
