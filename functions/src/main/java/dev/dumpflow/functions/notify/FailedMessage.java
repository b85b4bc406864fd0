package dev.dumpflow.functions.notify;

import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.PodIdentity;
import java.net.URI;
import java.util.List;

/**
 * The alert for a dump that failed: it was NOT saved (or a later step failed), why, and where it
 * still sits. A dump refused as {@code unredactable} sits nowhere: its redaction policy forbids
 * keeping it, so the archive deleted it on the sidecar.
 */
final class FailedMessage {

    private FailedMessage() {}

    static Notification of(DumpFailed failed, List<String> teamRecipients) {
        PodIdentity pod = failed.pod();
        PodIdentity.Workload workload = pod == null ? null : pod.workload();
        String location = withoutQuery(failed.location());
        boolean stored = !"archive".equals(failed.stage());
        boolean unredactable = failed.code() == FailureCode.UNREDACTABLE;
        Facts facts =
                new Facts()
                        .add(
                                "Status",
                                unredactable
                                        ? "The dump was NOT saved: its redaction policy could not"
                                                + " be applied, and it was not kept anywhere"
                                        : stored
                                                ? "The dump is stored, but dumpflow gave up on the "
                                                        + failed.stage()
                                                        + " step after retries"
                                                : "The dump was NOT saved; dumpflow gave up after"
                                                        + " retries")
                        .add("Dump id", failed.dumpId())
                        .add("Failed step", failed.stage())
                        .add("Why", failed.reason())
                        .add("Still sits at", unredactable ? null : where(location, pod, stored))
                        .pod(pod, workload)
                        .add("Dead-lettered event", unredactable ? null : failed.failedType());
        String from = pod == null ? "" : " from " + Facts.origin(pod, workload);
        return new Notification(
                "dumpId=" + failed.dumpId(),
                Notification.Severity.ALERT,
                stored
                        ? "Dump stored%s but its %s step failed: %s"
                                .formatted(from, failed.stage(), failed.dumpId())
                        : "Dump NOT saved%s: %s failed for %s"
                                .formatted(from, failed.stage(), failed.dumpId()),
                facts.list(),
                List.of(),
                null,
                teamRecipients);
    }

    private static String where(String location, PodIdentity pod, boolean stored) {
        if (location == null) {
            return null;
        }
        if (stored || pod == null) {
            return location;
        }
        return location
                + " (sidecar of pod "
                + pod.namespace()
                + "/"
                + pod.name()
                + "; it keeps the file until it is archived)";
    }

    /** A location is meant to carry no token; a query or user part is cut in case one does. */
    private static String withoutQuery(URI location) {
        if (location == null) {
            return null;
        }
        if (location.getScheme() == null || location.getHost() == null) {
            return location.getPath();
        }
        return location.getScheme()
                + "://"
                + location.getHost()
                + (location.getPort() < 0 ? "" : ":" + location.getPort())
                + (location.getPath() == null ? "" : location.getPath());
    }
}
