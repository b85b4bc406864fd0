package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One stored dump, as written at {@link StorageLayout#indexKey}: one JSON document per dump, so
 * that Athena or DuckDB can query the index directly.
 *
 * @param dumpId the dump's id
 * @param fileName the file's name on the sidecar
 * @param closedAt when the file was closed on the sidecar, which dates its keys
 * @param format the dump's format
 * @param cause why it was written
 * @param pid the process that wrote it, if known
 * @param bucket the bucket that holds the dump
 * @param key the dump's object key
 * @param codec the compression
 * @param rawBytes size before compression
 * @param storedBytes size of the object
 * @param sha256 SHA-256 of the raw bytes
 * @param archivedAt when the object was complete
 * @param pod the pod and container, with the workload when it is known
 * @param kubernetes what the Kubernetes API added, if it was reachable
 * @param analysis what filled the heap, for HPROF dumps
 * @param growth what grew since the workload's previous dump, when an earlier dump with a full
 *     histogram is within the look-back; absent otherwise
 * @param redaction how the stored dump was redacted, copied from the archive's record; absent
 *     (null) when it was stored as fetched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexRecord(
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
        Instant archivedAt,
        PodIdentity pod,
        KubernetesContext kubernetes,
        HeapSummary analysis,
        Growth growth,
        Redaction redaction) {

    public IndexRecord {
        Checks.dumpId(dumpId);
        Checks.fileName(fileName, "fileName");
        Checks.time(closedAt, "closedAt");
        Checks.nonNull(format, "format");
        Checks.nonNull(cause, "cause");
        Checks.identifier(bucket, "bucket", Checks.IDENTIFIER_MAX);
        Checks.identifier(key, "key", Checks.IDENTIFIER_MAX);
        Checks.identifier(codec, "codec", Checks.IDENTIFIER_MAX);
        Checks.nonNegative(rawBytes, "rawBytes");
        Checks.nonNegative(storedBytes, "storedBytes");
        Checks.sha256(sha256);
        Checks.time(archivedAt, "archivedAt");
        Checks.nonNull(pod, "pod");
    }

    /** The record of a dump stored as fetched, without redaction. */
    public IndexRecord(
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
            Instant archivedAt,
            PodIdentity pod,
            KubernetesContext kubernetes,
            HeapSummary analysis,
            Growth growth) {
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
                archivedAt,
                pod,
                kubernetes,
                analysis,
                growth,
                null);
    }

    /** The record of an archived dump, before any enrichment. */
    public static IndexRecord from(DumpArchived archived) {
        return new IndexRecord(
                archived.dumpId(),
                archived.fileName(),
                archived.closedAt(),
                archived.format(),
                archived.cause(),
                archived.pid(),
                archived.bucket(),
                archived.key(),
                archived.codec(),
                archived.rawBytes(),
                archived.storedBytes(),
                archived.sha256(),
                archived.archivedAt(),
                archived.pod(),
                null,
                archived.analysis(),
                null,
                archived.redaction());
    }

    /** A copy with the Kubernetes context, and the pod's workload taken from it when found. */
    public IndexRecord withKubernetes(KubernetesContext context) {
        PodIdentity enrichedPod =
                context != null && context.workload() != null
                        ? pod.withWorkload(context.workload())
                        : pod;
        return new IndexRecord(
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
                archivedAt,
                enrichedPod,
                context,
                analysis,
                growth,
                redaction);
    }

    /** A copy with what grew since the workload's previous dump, or without it for null. */
    public IndexRecord withGrowth(Growth growth) {
        return new IndexRecord(
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
                archivedAt,
                pod,
                kubernetes,
                analysis,
                growth,
                redaction);
    }
}
