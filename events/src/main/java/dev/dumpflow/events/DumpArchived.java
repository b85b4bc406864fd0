package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Data of {@link EventTypes#DUMP_ARCHIVED}: the dump is stored, compressed and verified.
 *
 * @param dumpId the dump's id
 * @param fileName the file's name on the sidecar
 * @param closedAt when the file was closed on the sidecar, which dates its keys
 * @param format the dump's format
 * @param cause why it was written
 * @param pid the process that wrote it, if known
 * @param bucket the bucket that holds it
 * @param key its object key, from {@link StorageLayout#dumpKey}
 * @param codec the compression, {@code zstd}
 * @param rawBytes the dump's size as fetched from the sidecar (for {@code hprof-gz}, of the gzip
 *     file, even when it was stored redacted as plain HPROF)
 * @param storedBytes the object's size
 * @param sha256 SHA-256 of the uncompressed bytes that were stored (after redaction, if any),
 *     lower-case hex: what decompressing the object gives
 * @param durationMs how long the archive took
 * @param archivedAt when the object was complete
 * @param analysis what filled the heap, for HPROF dumps
 * @param pod the pod and container
 * @param redaction how the dump was redacted before it was stored; null when it was stored as
 *     fetched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpArchived(
        String dumpId,
        String fileName,
        Instant closedAt,
        DumpFormat format,
        DumpCause cause,
        Long pid,
        String bucket,
        String key,
        String codec,
        long rawBytes,
        long storedBytes,
        String sha256,
        long durationMs,
        Instant archivedAt,
        HeapSummary analysis,
        PodIdentity pod,
        Redaction redaction) {

    public DumpArchived {
        Checks.dumpId(dumpId);
        Checks.fileName(fileName, "fileName");
        Checks.time(closedAt, "closedAt");
        Checks.nonNull(format, "format");
        Checks.nonNull(cause, "cause");
        Checks.nonNegativeOrNull(pid, "pid");
        Checks.identifier(bucket, "bucket", Checks.IDENTIFIER_MAX);
        Checks.identifier(key, "key", Checks.IDENTIFIER_MAX);
        Checks.identifier(codec, "codec", Checks.IDENTIFIER_MAX);
        Checks.nonNegative(rawBytes, "rawBytes");
        Checks.nonNegative(storedBytes, "storedBytes");
        Checks.sha256(sha256);
        Checks.nonNegative(durationMs, "durationMs");
        Checks.time(archivedAt, "archivedAt");
        Checks.nonNull(pod, "pod");
    }

    /** A dump stored as fetched, without redaction. */
    public DumpArchived(
            String dumpId,
            String fileName,
            Instant closedAt,
            DumpFormat format,
            DumpCause cause,
            Long pid,
            String bucket,
            String key,
            String codec,
            long rawBytes,
            long storedBytes,
            String sha256,
            long durationMs,
            Instant archivedAt,
            HeapSummary analysis,
            PodIdentity pod) {
        this(
                dumpId,
                fileName,
                closedAt,
                format,
                cause,
                pid,
                bucket,
                key,
                codec,
                rawBytes,
                storedBytes,
                sha256,
                durationMs,
                archivedAt,
                analysis,
                pod,
                null);
    }
}
