package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.StorageLayout;

/**
 * What one archive stores, decided before any byte is fetched: the redaction mode, the format the
 * stored bytes have (a redacted {@code hprof-gz} is stored as plain {@code hprof}), where the dump
 * goes, and where its original goes when it is kept (null otherwise).
 */
record ArchivePlan(
        RedactionMode mode,
        DumpFormat storedFormat,
        StoredDumps.Location location,
        StoredDumps.Location original) {

    static ArchivePlan of(
            DumpClosed closed,
            PodIdentity pod,
            String bucket,
            RedactionMode mode,
            boolean keepOriginals) {
        DumpFormat stored = StoredBytes.storedFormat(closed.format(), mode);
        String dumpId = closed.dumpId();
        StoredDumps.Location location =
                new StoredDumps.Location(
                        bucket,
                        StorageLayout.dumpKey(pod, dumpId, stored, closed.closedAt()),
                        dumpId);
        StoredDumps.Location original =
                mode != RedactionMode.NONE && keepOriginals
                        ? new StoredDumps.Location(
                                bucket,
                                StorageLayout.rawKey(
                                        pod, dumpId, closed.format(), closed.closedAt()),
                                dumpId)
                        : null;
        return new ArchivePlan(mode, stored, location, original);
    }

    boolean redacting() {
        return mode != RedactionMode.NONE;
    }

    /** The mode a stored record was redacted with, as this plan names modes. */
    static String modeOf(DumpArchived record) {
        return record.redaction() == null ? RedactionMode.NONE.wire() : record.redaction().mode();
    }
}
