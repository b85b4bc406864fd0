package dev.dumpflow.cli;

import dev.dumpflow.events.Growth;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.KubernetesContext;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Redaction;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code dumps show}: one index record as text for people: where the dump came from and is kept,
 * what filled the heap, what grew since the workload's previous dump, and what Kubernetes said.
 */
final class RecordReport {

    private RecordReport() {}

    /** The record as text, in sections; a section without data is left out. */
    static String of(IndexRecord record) {
        StringBuilder text = new StringBuilder();
        text.append("dump ")
                .append(Printable.of(record.dumpId()))
                .append(" (")
                .append(record.format().wire())
                .append(", cause ")
                .append(record.cause().wire())
                .append(record.pid() == null ? "" : ", pid " + record.pid())
                .append(")\n");
        line(text, "file", Printable.of(record.fileName()));
        line(text, "closed", time(record.closedAt()));
        line(text, "archived", time(record.archivedAt()));
        line(text, "pod", pod(record.pod()));
        line(
                text,
                "stored",
                "s3://"
                        + Printable.of(record.bucket())
                        + "/"
                        + Printable.of(record.key())
                        + " ("
                        + Printable.of(record.codec())
                        + ", "
                        + Sizes.human(record.storedBytes())
                        + " of "
                        + Sizes.human(record.rawBytes())
                        + " raw)");
        Redaction redaction = record.redaction();
        line(
                text,
                "sha256",
                Printable.of(record.sha256())
                        + (redaction == null
                                ? " (of the raw dump)"
                                : " (of the redacted dump, uncompressed)"));
        if (redaction != null) {
            redaction(text, redaction);
        }
        if (record.analysis() != null) {
            heap(text, record.analysis());
        }
        if (record.growth() != null) {
            growth(text, record.growth());
        }
        if (record.kubernetes() != null) {
            kubernetes(text, record.kubernetes());
        }
        return text.toString();
    }

    /** Why the downloaded dump's strings read as zeros, and what became of the original. */
    private static void redaction(StringBuilder text, Redaction redaction) {
        line(
                text,
                "redacted",
                Printable.of(redaction.mode())
                        + ("strings".equals(redaction.mode())
                                ? ": char[]/byte[] contents zeroed"
                                : ": primitive arrays and primitive fields zeroed")
                        + " (docs/security.md)");
        line(
                text,
                "original",
                "sha256 "
                        + Printable.of(redaction.originalSha256())
                        + (redaction.originalKept()
                                ? "; kept under raw/ until it expires, break-glass access only"
                                : "; not kept"));
    }

    private static void heap(StringBuilder text, HeapSummary heap) {
        text.append("\nheap: ")
                .append(String.format(Locale.ROOT, "%,d", heap.totalObjects()))
                .append(" objects, ")
                .append(Sizes.human(heap.totalBytes()))
                .append(" in ")
                .append(String.format(Locale.ROOT, "%,d", heap.classCount()))
                .append(" classes")
                .append(
                        heap.truncated()
                                ? " (partial: " + Printable.of(heap.truncationReason()) + ")"
                                : "")
                .append('\n');
        text.append(String.format(Locale.ROOT, "  %12s %14s  %s%n", "bytes", "instances", "class"));
        for (HeapSummary.ClassStat stat : heap.topClasses()) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "  %12s %,14d  %s%n",
                            Sizes.human(stat.bytes()),
                            stat.instances(),
                            Printable.of(stat.className())));
        }
    }

    private static void growth(StringBuilder text, Growth growth) {
        text.append("\ngrowth since ")
                .append(Printable.of(growth.previousDumpId()))
                .append(" (closed ")
                .append(time(growth.previousClosedAt()))
                .append(", ")
                .append(growth.interval().toString().substring(2).toLowerCase(Locale.ROOT))
                .append(" earlier)\n");
        text.append(String.format(Locale.ROOT, "  %12s %14s  %s%n", "bytes", "instances", "class"));
        for (Growth.ClassGrowth grew : growth.classes()) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "  %12s %+,14d  %s%s%n",
                            (grew.bytesDelta() < 0 ? "-" : "+")
                                    + Sizes.human(Math.abs(grew.bytesDelta())),
                            grew.instancesDelta(),
                            Printable.of(grew.className()),
                            grew.monotonic() ? "  (grew at every step: leak suspect)" : ""));
        }
    }

    private static void kubernetes(StringBuilder text, KubernetesContext k8s) {
        text.append("\nkubernetes\n");
        if (k8s.workload() != null) {
            line(text, "workload", workload(k8s.workload()));
        }
        if (k8s.image() != null) {
            line(text, "image", Printable.of(k8s.image()));
        }
        if (k8s.restartCount() != null) {
            line(text, "restarts", k8s.restartCount().toString());
        }
        if (k8s.lastTerminationReason() != null) {
            line(
                    text,
                    "last exit",
                    Printable.of(k8s.lastTerminationReason())
                            + (k8s.lastTerminatedAt() == null
                                    ? ""
                                    : " at " + time(k8s.lastTerminatedAt())));
        }
        if (!k8s.recentEvents().isEmpty()) {
            text.append("  events\n");
            for (KubernetesContext.PodEvent event : k8s.recentEvents()) {
                text.append("    ")
                        .append(event.lastSeen() == null ? "-" : time(event.lastSeen()))
                        .append("  ")
                        .append(Printable.of(event.type()))
                        .append(' ')
                        .append(Printable.of(event.reason()))
                        .append(event.count() == null ? "" : " (x" + event.count() + ")")
                        .append(": ")
                        .append(Printable.of(event.message()))
                        .append('\n');
            }
        }
    }

    private static String pod(PodIdentity pod) {
        StringBuilder text = new StringBuilder(pod.namespace() + "/" + pod.name());
        text.append(", container ").append(pod.container());
        if (pod.workload() != null) {
            text.append(", ").append(workload(pod.workload()));
        }
        if (pod.node() != null) {
            text.append(", node ").append(pod.node());
        }
        return Printable.of(text.toString());
    }

    private static String workload(PodIdentity.Workload workload) {
        return Printable.of(workload.kind() + "/" + workload.name());
    }

    private static String time(Instant at) {
        return DumpTable.TIME.format(at);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-10s %s%n", label, value));
    }
}
