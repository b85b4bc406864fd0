package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.HeapSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user metadata on a stored dump ({@code x-amz-meta-*}): pod, cause, raw size, format, dumpId
 * and, once the whole dump was read, its SHA-256. Values stay ASCII (S3 sends them as headers).
 *
 * <p>A re-delivered event finds the object by its deterministic key; the metadata then tells
 * whether it is complete for this very dump, and gives what the reply needs without a second
 * transfer.
 */
final class DumpMetadata {

    static final String DUMP_ID = "dumpid";
    static final String NAMESPACE = "namespace";
    static final String POD = "pod";
    static final String CONTAINER = "container";
    static final String CAUSE = "cause";
    static final String FORMAT = "format";
    static final String RAW_SIZE = "raw-size";
    static final String SHA256 = "sha256";
    static final String DURATION_MS = "duration-ms";
    static final String ARCHIVED_AT = "archived-at";

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private DumpMetadata() {}

    /** What is known before the transfer: set when the upload starts. */
    static Map<String, String> initial(DumpClosed closed) {
        Map<String, String> m = new HashMap<>();
        m.put(DUMP_ID, closed.dumpId());
        m.put(NAMESPACE, ascii(closed.pod().namespace()));
        m.put(POD, ascii(closed.pod().name()));
        m.put(CONTAINER, ascii(closed.pod().container()));
        m.put(CAUSE, closed.cause().wire());
        m.put(FORMAT, closed.format().wire());
        m.put(RAW_SIZE, Long.toString(closed.sizeBytes()));
        return m;
    }

    /** Everything, once the dump was read to its end. */
    static Map<String, String> complete(
            DumpClosed closed, String sha256, long durationMs, Instant archivedAt) {
        Map<String, String> m = initial(closed);
        m.put(SHA256, sha256);
        m.put(DURATION_MS, Long.toString(durationMs));
        m.put(ARCHIVED_AT, archivedAt.toString());
        return m;
    }

    /**
     * The reply for a dump already stored, when the object's metadata says it is complete for this
     * dump: same dumpId, same raw size, a SHA-256. Analysis is not stored, so the reply has none.
     */
    static Optional<DumpArchived> stored(
            DumpClosed closed,
            Map<String, String> metadata,
            long storedBytes,
            String bucket,
            String key) {
        String sha = metadata.get(SHA256);
        if (!closed.dumpId().equals(metadata.get(DUMP_ID))
                || !Long.toString(closed.sizeBytes()).equals(metadata.get(RAW_SIZE))
                || sha == null
                || !HEX64.matcher(sha).matches()) {
            return Optional.empty();
        }
        long duration = parseLong(metadata.get(DURATION_MS));
        Instant archivedAt = parseInstant(metadata.get(ARCHIVED_AT));
        return Optional.of(
                reply(closed, bucket, key, storedBytes, sha, duration, archivedAt, null));
    }

    /** The {@code dump.archived} data for a dump of this event. */
    static DumpArchived reply(
            DumpClosed closed,
            String bucket,
            String key,
            long storedBytes,
            String sha256,
            long durationMs,
            Instant archivedAt,
            HeapSummary analysis) {
        return new DumpArchived(
                closed.dumpId(),
                closed.fileName(),
                closed.closedAt(),
                closed.format(),
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
                closed.pod());
    }

    private static String ascii(String value) {
        return value.replaceAll("[^\\x20-\\x7e]", "_");
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant parseInstant(String value) {
        try {
            return value == null ? Instant.now() : Instant.parse(value);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }
}
