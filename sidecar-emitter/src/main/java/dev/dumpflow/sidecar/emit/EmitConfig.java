package dev.dumpflow.sidecar.emit;

import dev.dumpflow.sidecar.config.Env;
import dev.dumpflow.sidecar.json.JsonParser;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where events go and what every event carries on top of the contract.
 *
 * @param sink {@code K_SINK}: the absolute http(s) URL events are POSTed to, set by Knative's
 *     SinkBinding
 * @param overrides {@code K_CE_OVERRIDES}: the CloudEvent extensions set on every event, from the
 *     SinkBinding's {@code {"extensions":{...}}}; empty when unset
 */
public record EmitConfig(URI sink, Map<String, String> overrides) {

    /** See {@link #sink()}. */
    public static final String SINK = "K_SINK";

    /** See {@link #overrides()}. */
    public static final String OVERRIDES = "K_CE_OVERRIDES";

    private static final String OVERRIDES_FORMS =
            "JSON {\"extensions\":{\"name\":\"value\"}} with lower-case alphanumeric names";
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    public EmitConfig {
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /**
     * The sink as it may be logged: scheme, host and port only, since a path or query could carry a
     * secret.
     */
    public String sinkForLogs() {
        return sink.getScheme()
                + "://"
                + sink.getHost()
                + (sink.getPort() < 0 ? "" : ":" + sink.getPort());
    }

    /** Parses {@code K_SINK} and {@code K_CE_OVERRIDES}. */
    public static EmitConfig fromEnv(Env env) {
        URI sink = env.httpUrl(SINK);
        Map<String, String> overrides =
                env.parsed(OVERRIDES, OVERRIDES_FORMS, EmitConfig::parseOverrides).orElse(Map.of());
        return new EmitConfig(sink, overrides);
    }

    private static Map<String, String> parseOverrides(String json) {
        Object extensions = JsonParser.parseObject(json).get("extensions");
        if (extensions == null) {
            return Map.of();
        }
        if (!(extensions instanceof Map<?, ?> members)) {
            throw new IllegalArgumentException("extensions is not an object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        members.forEach(
                (name, value) -> {
                    // A CloudEvents extension is a scalar: a string, a number or a boolean.
                    if (!EXTENSION_NAME.matcher((String) name).matches()
                            || !(value instanceof String
                                    || value instanceof Number
                                    || value instanceof Boolean)) {
                        throw new IllegalArgumentException("bad extension " + name);
                    }
                    result.put((String) name, value.toString());
                });
        return result;
    }
}
