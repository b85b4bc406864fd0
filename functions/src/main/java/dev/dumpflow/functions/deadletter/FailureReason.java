package dev.dumpflow.functions.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Why a dead-lettered event failed, for a person: from Knative's {@code knativeerrorcode} and
 * {@code knativeerrordata} extensions (the last response's status and, base64-encoded, the start of
 * its body). The body may quote a request, so anything that looks like a credential is cut: bearer
 * tokens, URL queries (fetch tokens, presigned signatures), user parts of URLs, {@code key=value}
 * pairs named like secrets, Slack webhook paths, and long random-looking runs. The text is bounded.
 */
final class FailureReason {

    /** The most a reason may hold, in characters. */
    static final int MAX_LENGTH = 300;

    private static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern SECRET_PAIR =
            Pattern.compile(
                    "(?i)\\b([a-z-]*(?:token|signature|sig|credential|password|passwd|secret|"
                            + "api[-_]?key|access[-_]?key)[a-z-]*)(\\s*[=:]\\s*)(\"?)[^\\s&\",;]+");
    private static final Pattern SLACK_HOOK =
            Pattern.compile("(?i)https?://hooks\\.slack\\.com/\\S*");
    private static final Pattern URL_USER = Pattern.compile("(?i)(https?://)[^/\\s@]+@");
    private static final Pattern URL_QUERY =
            Pattern.compile("(?i)(https?://[^\\s?#\"]+)[?#][^\\s\"]*");
    private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9_+/=-]{40,}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");

    private FailureReason() {}

    /**
     * The reason of a dead-lettered event.
     *
     * @param stage the step that gave up, such as {@code archive}
     * @param errorCode {@code knativeerrorcode}, or null when absent
     * @param errorData {@code knativeerrordata}, or null when absent
     */
    static String of(String stage, Object errorCode, Object errorData, ObjectMapper json) {
        StringBuilder reason = new StringBuilder("the ").append(stage).append(" step gave up");
        String code = errorCode == null ? null : errorCode.toString().trim();
        if (code != null && !code.isEmpty()) {
            reason.append(" after retries; its last answer was HTTP ").append(redact(code));
        } else {
            reason.append(" after retries");
        }
        String data = decoded(errorData);
        if (data != null) {
            String said = messageOf(data, json);
            if (!said.isBlank()) {
                reason.append(": ").append(redact(said));
            }
        }
        return bounded(reason.toString());
    }

    /** Cuts whatever looks like a credential out of {@code text}. */
    static String redact(String text) {
        String s = CONTROL.matcher(text).replaceAll(" ");
        s = BEARER.matcher(s).replaceAll("Bearer [redacted]");
        s = SLACK_HOOK.matcher(s).replaceAll("[webhook redacted]");
        s = URL_USER.matcher(s).replaceAll("$1");
        s = URL_QUERY.matcher(s).replaceAll("$1");
        s = SECRET_PAIR.matcher(s).replaceAll("$1$2$3[redacted]");
        s = LONG_RUN.matcher(s).replaceAll("[redacted]");
        return s.replaceAll("\\s+", " ").trim();
    }

    private static String decoded(Object errorData) {
        if (errorData == null) {
            return null;
        }
        String raw = errorData.toString().trim();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            // Some senders put the text itself.
            return raw;
        }
    }

    /** The {@code message} of a JSON error body such as the functions answer, else the text. */
    private static String messageOf(String data, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(data);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (java.io.IOException notJson) {
            // Plain text: taken as it is.
        }
        return data;
    }

    private static String bounded(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
    }
}
