package dev.dumpflow.functions.gate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One decision of the download gate, as stored under {@code audit/}: who asked (the username the
 * API server vouched for, never the token), when, for which dump or namespace, what they asked
 * ({@code list}, {@code show}, {@code download}), the decision ({@code allowed} or {@code
 * refused}), the HTTP status answered, and the address the request came from.
 *
 * @param user the caller's username, or null when no valid token came
 * @param forwardedFor the {@code X-Forwarded-For} header as received, when any (a proxy's claim,
 *     kept apart from the address the gate saw)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditLine(
        Instant at,
        String user,
        String action,
        String namespace,
        String dumpId,
        String decision,
        int status,
        String source,
        String forwardedFor,
        String reason) {

    /** The decision word for a status: {@code allowed} below 400, {@code refused} otherwise. */
    static String decisionOf(int status) {
        return status < 400 ? "allowed" : "refused";
    }
}
