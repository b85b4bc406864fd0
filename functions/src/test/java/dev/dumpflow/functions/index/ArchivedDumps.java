package dev.dumpflow.functions.index;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.Redaction;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.s3.S3ProxyResource;

/** {@code dump.archived} payloads for tests, each with its own dumpId, in the test bucket. */
final class ArchivedDumps {

    private ArchivedDumps() {}

    static DumpArchived archived(String dumpId) {
        return archived(dumpId, null);
    }

    /** A dump stored with {@code redaction}, or as fetched for null. */
    static DumpArchived archived(String dumpId, Redaction redaction) {
        DumpArchived s = Samples.dumpArchived();
        return new DumpArchived(
                dumpId,
                s.fileName(),
                s.closedAt(),
                s.format(),
                s.cause(),
                s.pid(),
                S3ProxyResource.BUCKET,
                StorageLayout.dumpKey(s.pod(), dumpId, s.format(), s.closedAt()),
                s.codec(),
                s.rawBytes(),
                s.storedBytes(),
                s.sha256(),
                s.durationMs(),
                s.archivedAt(),
                s.analysis(),
                s.pod(),
                redaction);
    }
}
