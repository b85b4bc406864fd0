package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.PodIdentity;
import org.jboss.logging.Logger;

/**
 * The archive's refusals for good, answered as {@code dump.failed} replies (2xx, so the Broker does
 * not retry what can never succeed): a different dump is stored under the dumpId ({@code
 * conflict}), or the redaction policy cannot be applied to the dump ({@code unredactable}).
 */
final class ArchiveRefusals {

    private static final Logger LOG = Logger.getLogger(ArchiveRefusals.class);

    private ArchiveRefusals() {}

    static ArchiveOutcome.Conflict conflict(
            DumpClosed closed, PodIdentity pod, String differences) {
        LOG.warnf(
                "dump %s: refused, a different dump with this dumpId is stored (%s); the stored"
                        + " dump and its record are left unchanged and this one stays on the"
                        + " sidecar",
                closed.dumpId(), differences);
        return new ArchiveOutcome.Conflict(
                failed(
                        closed,
                        pod,
                        FailureCode.CONFLICT,
                        "a different dump with this dumpId is already stored ("
                                + differences
                                + "); it was left unchanged and this one was not stored"));
    }

    /**
     * The policy asks for {@code mode} and the dump cannot be redacted: nothing was stored.
     *
     * @param deleted whether the sidecar confirmed it deleted its copy
     */
    static ArchiveOutcome.Unredactable unredactable(
            DumpClosed closed, PodIdentity pod, RedactionMode mode, String why, boolean deleted) {
        String copy =
                deleted
                        ? "the sidecar's copy was deleted, as the policy forbids keeping it"
                        : "deleting the sidecar's copy failed; it stays until the sidecar"
                                + " announces it again";
        LOG.warnf(
                "dump %s: refused, its redaction policy is %s and %s; nothing was stored and %s",
                closed.dumpId(), mode.wire(), why, copy);
        return new ArchiveOutcome.Unredactable(
                failed(
                        closed,
                        pod,
                        FailureCode.UNREDACTABLE,
                        "the redaction policy (%s) cannot be applied: %s; nothing was stored and %s"
                                .formatted(mode.wire(), why, copy)));
    }

    private static DumpFailed failed(
            DumpClosed closed, PodIdentity pod, FailureCode code, String reason) {
        return new DumpFailed(
                closed.dumpId(),
                "archive",
                code,
                reason,
                EventTypes.DUMP_CLOSED,
                closed.fetch().url(),
                pod);
    }
}
