package dev.dumpflow.functions.notify;

import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.functions.HumanBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The message for a stored and indexed dump: what, where, how big, how to get it, and, when an
 * earlier dump of the workload was compared, what grew since, leak suspects first.
 */
final class IndexedMessage {

    private IndexedMessage() {}

    /**
     * @param r the index record as stored
     * @param indexKey where it is stored
     * @param redaction how the archive's record says the dump was redacted, or null
     * @param link the download link notify signed itself, or null
     */
    static Notification of(
            IndexRecord r,
            String indexKey,
            Redaction redaction,
            Notification.Link link,
            List<String> teamRecipients) {
        KubernetesContext k8s = r.kubernetes();
        Facts facts =
                new Facts()
                        .pod(r.pod(), r.pod().workload())
                        .add("Growth", r.growth() == null ? null : GrowthText.summary(r.growth()))
                        .add("Cause", r.cause().wire())
                        .add("Format", r.format().wire())
                        .add("Redaction", RedactionText.stored(redaction))
                        .add("Original", RedactionText.original(redaction))
                        .add("PID", r.pid())
                        .add("Raw size", HumanBytes.format(r.rawBytes()))
                        .add(
                                "Stored size",
                                HumanBytes.format(r.storedBytes()) + " (" + r.codec() + ")")
                        .add("Compression ratio", ratio(r.rawBytes(), r.storedBytes()))
                        .add("SHA-256", r.sha256())
                        .add("Stored at", "s3://" + r.bucket() + "/" + r.key())
                        .add("Index record", indexKey)
                        .add("Dump id", r.dumpId());
        List<Notification.Section> sections = new ArrayList<>();
        if (r.growth() != null) {
            sections.add(
                    new Notification.Section(
                            "What grew since the previous dump", GrowthText.lines(r.growth())));
        }
        if (k8s != null) {
            facts.add("Image", k8s.image())
                    .add("Restart count", k8s.restartCount())
                    .add(
                            "Last termination",
                            k8s.lastTerminationReason() == null
                                    ? null
                                    : k8s.lastTerminationReason()
                                            + (k8s.lastTerminatedAt() == null
                                                    ? ""
                                                    : " at " + k8s.lastTerminatedAt()));
            List<String> warnings =
                    k8s.recentEvents().stream()
                            .filter(e -> "Warning".equals(e.type()))
                            .map(IndexedMessage::eventLine)
                            .toList();
            if (!warnings.isEmpty()) {
                sections.add(new Notification.Section("Recent warning events", warnings));
            }
        }
        if (r.analysis() != null) {
            sections.add(
                    new Notification.Section(
                            "What filled the heap", HeapSummaryText.lines(r.analysis())));
        }
        return new Notification(
                "dumpId=" + r.dumpId(),
                Notification.Severity.INFO,
                "Heap dump of %s stored (cause: %s, %s)"
                        .formatted(
                                Facts.origin(r.pod(), r.pod().workload()),
                                r.cause().wire(),
                                HumanBytes.format(r.rawBytes())),
                facts.list(),
                sections,
                link,
                teamRecipients);
    }

    private static String ratio(long raw, long stored) {
        return stored == 0 ? null : String.format(Locale.ROOT, "%.1f×", (double) raw / stored);
    }

    private static String eventLine(KubernetesContext.PodEvent e) {
        return "%s %s%s: %s"
                .formatted(
                        e.lastSeen() == null ? "-" : e.lastSeen().toString(),
                        e.reason(),
                        e.count() == null || e.count() <= 1 ? "" : " (x" + e.count() + ")",
                        e.message());
    }
}
