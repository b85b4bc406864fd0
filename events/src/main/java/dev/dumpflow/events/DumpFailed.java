package dev.dumpflow.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.Set;

/**
 * Data of {@link EventTypes#DUMP_FAILED}: a dump event was dead-lettered, or the archive refused a
 * dump for good, so the dump may not be saved.
 *
 * @param dumpId the dump's id
 * @param stage which step gave up: {@code archive}, {@code index} or {@code notify}
 * @param code why, for machines: see {@link FailureCode}
 * @param reason what went wrong, fit for a person to read; never a secret. Free text: it may quote
 *     what a failing step answered, so the channels that show it escape it
 * @param failedType the type of the event that was dead-lettered
 * @param location where the dump still sits, for example the sidecar URL without its token
 * @param pod the pod and container, when the failed event told
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpFailed(
        String dumpId,
        String stage,
        FailureCode code,
        String reason,
        String failedType,
        URI location,
        PodIdentity pod) {

    /** The steps a dump goes through, and so the values of {@link #stage}. */
    public static final Set<String> STAGES = Set.of("archive", "index", "notify");

    public DumpFailed {
        Checks.dumpId(dumpId);
        if (!STAGES.contains(stage)) {
            throw new IllegalArgumentException("stage must be one of " + STAGES + ", was " + stage);
        }
        Checks.nonNull(code, "code");
        Checks.nonBlank(reason, "reason");
        Checks.identifier(failedType, "failedType", Checks.IDENTIFIER_MAX);
    }
}
