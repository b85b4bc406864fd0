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
 * goes, where its original goes when it is kept (null otherwise), and the most bytes the stored
 * stream may have (a gunzipped dump's expansion is bounded).
 */
record ArchivePlan(
        RedactionMode mode,
        DumpFormat storedFormat,
        StoredDumps.Location location,
        StoredDumps.Location original,
        long maxStoredBytes) {

    /**
     * @param maxExpansion how many times its announced size a gzip dump may expand when it is
     *     gunzipped to be redacted
     */
    static ArchivePlan of(
            DumpClosed closed,
            PodIdentity pod,
            String bucket,
            RedactionMode mode,
            boolean keepOriginals,
            int maxExpansion) {
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
        // Stored bytes are the fetched ones, bounded by the announced size, unless gunzipped.
        long maxStoredBytes =
                stored != closed.format()
                        ? saturatedProduct(closed.sizeBytes(), maxExpansion)
                        : Long.MAX_VALUE;
        return new ArchivePlan(mode, stored, location, original, maxStoredBytes);
    }

    private static long saturatedProduct(long size, int factor) {
        return size > Long.MAX_VALUE / factor ? Long.MAX_VALUE : size * factor;
    }

    boolean redacting() {
        return mode != RedactionMode.NONE;
    }

    /** The mode a stored record was redacted with, as this plan names modes. */
    static String modeOf(DumpArchived record) {
        return record.redaction() == null ? RedactionMode.NONE.wire() : record.redaction().mode();
    }
}
