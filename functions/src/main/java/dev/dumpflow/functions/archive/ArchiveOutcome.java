package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpFailed;

/**
 * What an archive came to: the dump is stored, it conflicts with the one stored before, or its
 * redaction policy cannot be applied to it.
 */
sealed interface ArchiveOutcome {

    /**
     * The dump is stored; {@code record} is its record, the same for every delivery. {@code
     * uploadedHere} is false when an earlier or a concurrent delivery stored it.
     */
    record Stored(DumpArchived record, boolean uploadedHere) implements ArchiveOutcome {}

    /**
     * Another dump of this dumpId is stored; it and its record were left unchanged, and the refusal
     * is answered as {@code dump.failed} with code {@code conflict}.
     */
    record Conflict(DumpFailed failed) implements ArchiveOutcome {}

    /**
     * The redaction policy asks for a rewrite this dump cannot have (not HPROF, or content the
     * redactor cannot parse): nothing was stored, the sidecar was asked to delete its copy, and the
     * refusal is answered as {@code dump.failed} with code {@code unredactable}.
     */
    record Unredactable(DumpFailed failed) implements ArchiveOutcome {}
}
