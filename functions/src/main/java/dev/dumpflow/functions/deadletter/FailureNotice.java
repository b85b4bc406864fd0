package dev.dumpflow.functions.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpFailed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FailureCode;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.functions.FunctionFailure;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a dead-lettered dump event into the data of {@code dev.dumpflow.dump.failed}: which step
 * gave up (from the event's type), why (from Knative's error extensions, see {@link
 * FailureReason}), and where the dump still sits: the sidecar's URL, without its token, for a dump
 * not archived; the object in the bucket for one archived but not indexed or notified.
 *
 * <p>The data is read leniently, as a JSON tree, because an event may be dead-lettered for being
 * malformed; only a dumpId is required.
 */
final class FailureNotice {

    /** The step each dump event feeds; other types have no dump to report. */
    private static final Map<String, String> STAGES =
            Map.of(
                    EventTypes.DUMP_CLOSED, "archive",
                    EventTypes.DUMP_ARCHIVED, "index",
                    EventTypes.DUMP_INDEXED, "notify");

    private FailureNotice() {}

    /** The stage whose event this is, if it is a dump event a step consumes. */
    static Optional<String> stageOf(String type) {
        return Optional.ofNullable(STAGES.get(type));
    }

    /**
     * The failure notice of a dead-lettered dump event.
     *
     * @throws FunctionFailure bad event when no valid dumpId can be found, or the letter's type is
     *     none an event could have
     */
    static DumpFailed of(CloudEvent letter, String stage, ObjectMapper json) {
        JsonNode data = data(letter, json);
        String dumpId = dumpId(letter, data);
        String reason =
                FailureReason.of(
                        stage,
                        letter.getExtension("knativeerrorcode"),
                        letter.getExtension("knativeerrordata"),
                        json);
        try {
            return new DumpFailed(
                    dumpId,
                    stage,
                    FailureCode.DEAD_LETTERED,
                    reason,
                    letter.getType(),
                    location(stage, data),
                    pod(data, json));
        } catch (IllegalArgumentException e) {
            throw FunctionFailure.badEvent("the dead letter cannot be reported: " + e.getMessage());
        }
    }

    private static JsonNode data(CloudEvent letter, ObjectMapper json) {
        if (letter.getData() == null) {
            return json.nullNode();
        }
        try {
            JsonNode node = json.readTree(letter.getData().toBytes());
            return node == null ? json.nullNode() : node;
        } catch (IOException e) {
            return json.nullNode();
        }
    }

    private static String dumpId(CloudEvent letter, JsonNode data) {
        if (data.path("dumpId").isTextual()) {
            return data.path("dumpId").asText();
        }
        Object extension = letter.getExtension(EventTypes.DUMPID_EXTENSION);
        if (extension != null) {
            return extension.toString();
        }
        return letter.getSubject();
    }

    /** Where the dump still sits, never with a token or signature. */
    private static URI location(String stage, JsonNode data) {
        return switch (stage) {
            case "archive" -> withoutSecrets(data.path("fetch").path("url").asText(null));
            case "index" -> object(data.path("bucket"), data.path("key"));
            default -> object(data.path("record").path("bucket"), data.path("record").path("key"));
        };
    }

    private static URI object(JsonNode bucket, JsonNode key) {
        if (!bucket.isTextual() || !key.isTextual()) {
            return null;
        }
        try {
            return new URI("s3", bucket.asText(), "/" + key.asText(), null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static URI withoutSecrets(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return new URI(
                    uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static PodIdentity pod(JsonNode data, ObjectMapper json) {
        JsonNode pod =
                data.path("pod").isObject() ? data.path("pod") : data.path("record").path("pod");
        if (!pod.isObject()) {
            return null;
        }
        try {
            return json.treeToValue(pod, PodIdentity.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
