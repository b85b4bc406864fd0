package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Data of {@link EventTypes#DUMP_CLOSED}: a complete dump file sits on the sidecar, ready to pull.
 *
 * @param dumpId the dump's id, the correlation key of every later event and the base of its keys
 * @param fileName the file's name in the dump directory
 * @param sizeBytes the file's final size
 * @param closedAt when the file was closed, which dates its keys; within {@link TimeWindow}
 * @param format the format its magic bytes tell
 * @param cause why it was written, where the name or the capture tells
 * @param pid the process that wrote it, if known
 * @param fetch where to pull it, with its per-dump token
 * @param pod the pod and container
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpClosed(
        String dumpId,
        String fileName,
        long sizeBytes,
        Instant closedAt,
        DumpFormat format,
        DumpCause cause,
        Long pid,
        FetchLocation fetch,
        PodIdentity pod) {

    public DumpClosed {
        Checks.dumpId(dumpId);
        Checks.fileName(fileName, "fileName");
        Checks.nonNegative(sizeBytes, "sizeBytes");
        Checks.time(closedAt, "closedAt");
        Checks.nonNull(format, "format");
        Checks.nonNull(cause, "cause");
        Checks.nonNegativeOrNull(pid, "pid");
        Checks.nonNull(fetch, "fetch");
        Checks.nonNull(pod, "pod");
    }
}
