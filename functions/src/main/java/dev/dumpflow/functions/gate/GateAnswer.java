package dev.dumpflow.functions.gate;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What the download gate answers one request, and what its audit line records of it: the status,
 * the JSON body or the redirect's location, and who asked about which namespace and dump, with the
 * reason of a refusal.
 *
 * @param body the JSON body; ignored when {@code location} is set
 * @param location the presigned URL of a 302, else null
 * @param reason why it was refused, for the audit line only; null when allowed
 */
record GateAnswer(
        int status,
        String body,
        String location,
        String user,
        String namespace,
        String dumpId,
        String reason) {

    /** A refusal whose {@code {"error": ...}} message is also its audit reason. */
    static GateAnswer refused(int status, String message, String user, String ns, String id) {
        return new GateAnswer(status, error(message), null, user, ns, id, message);
    }

    /**
     * The 404 for a dump that is missing or that the caller may not get: the same body either way;
     * the namespace (known only when the dump exists) and the reason go to the audit line only.
     */
    static GateAnswer notFound(String user, String dumpId, String namespace, String reason) {
        return new GateAnswer(
                404,
                error("no dump " + dumpId + " that you may read"),
                null,
                user,
                namespace,
                dumpId,
                reason);
    }

    /** Writes the answer; nothing a proxy or browser should keep. */
    void writeTo(RoutingContext context) {
        var response = context.response().setStatusCode(status);
        response.putHeader("Cache-Control", "no-store");
        if (location != null) {
            response.putHeader("Location", location).end();
            return;
        }
        response.putHeader("Content-Type", "application/json").end(body);
    }

    private static String error(String message) {
        return new JsonObject().put("error", message).encode();
    }
}
