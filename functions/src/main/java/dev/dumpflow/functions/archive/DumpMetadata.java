package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.redact.RedactionMode;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Redaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The user metadata on a stored dump ({@code x-amz-meta-*}): pod, cause, raw size, format and
 * dumpId, all known when the upload starts, so that a person browsing the bucket sees what an
 * object is. Values stay ASCII (S3 sends them as headers). What is known only at the end (the
 * SHA-256, the sizes) is in the dump's record, which is the truth.
 */
final class DumpMetadata {

    static final String DUMP_ID = "dumpid";
    static final String NAMESPACE = "namespace";
    static final String POD = "pod";
    static final String CONTAINER = "container";
    static final String CAUSE = "cause";
    static final String FORMAT = "format";
    static final String RAW_SIZE = "raw-size";
    static final String REDACTION = "redaction";

    private DumpMetadata() {}

    /** What is known before the transfer: set when the upload starts. */
    static Map<String, String> of(DumpClosed closed, PodIdentity pod) {
        return of(closed, pod, closed.format(), RedactionMode.NONE);
    }

    /**
     * The same, for bytes stored in {@code format} after a redaction with {@code mode} (named
     * unless {@code none}).
     */
    static Map<String, String> of(
            DumpClosed closed, PodIdentity pod, DumpFormat format, RedactionMode mode) {
        Map<String, String> m = new HashMap<>();
        m.put(DUMP_ID, closed.dumpId());
        m.put(NAMESPACE, ascii(pod.namespace()));
        m.put(POD, ascii(pod.name()));
        m.put(CONTAINER, ascii(pod.container()));
        m.put(CAUSE, closed.cause().wire());
        m.put(FORMAT, format.wire());
        m.put(RAW_SIZE, Long.toString(closed.sizeBytes()));
        if (mode != RedactionMode.NONE) {
            m.put(REDACTION, mode.wire());
        }
        return m;
    }

    /**
     * The {@code dump.archived} data, and record, of a dump of this event, stored in {@code format}
     * (a redacted {@code hprof-gz} is stored as {@code hprof}); {@code redaction} is null when it
     * was stored as fetched.
     */
    static DumpArchived reply(
            DumpClosed closed,
            PodIdentity pod,
            String bucket,
            String key,
            long storedBytes,
            String sha256,
            long durationMs,
            Instant archivedAt,
            HeapSummary analysis,
            DumpFormat format,
            Redaction redaction) {
        return new DumpArchived(
                closed.dumpId(),
                closed.fileName(),
                closed.closedAt(),
                format,
                closed.cause(),
                closed.pid(),
                bucket,
                key,
                "zstd",
                closed.sizeBytes(),
                storedBytes,
                sha256,
                durationMs,
                archivedAt,
                analysis,
                pod,
                redaction);
    }

    private static String ascii(String value) {
        return value.replaceAll("[^\\x20-\\x7e]", "_");
    }
}
