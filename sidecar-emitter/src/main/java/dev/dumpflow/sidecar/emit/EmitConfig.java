package dev.dumpflow.sidecar.emit;

import dev.dumpflow.sidecar.config.Env;
import dev.dumpflow.sidecar.json.JsonParser;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 * @param tokenFile {@code DUMPFLOW_SINK_TOKEN_FILE}: the file holding the OIDC token presented to
 *     the sink as {@code Authorization: Bearer}, read afresh for every send; where Knative's
 *     SinkBinding mounts it, {@value #DEFAULT_TOKEN_FILE}, by default. Without the file (a cluster
 *     without {@code authentication-oidc}) events are sent without a token
 */
public record EmitConfig(URI sink, Map<String, String> overrides, Path tokenFile) {

    /** See {@link #sink()}. */
    public static final String SINK = "K_SINK";

    /** See {@link #overrides()}. */
    public static final String OVERRIDES = "K_CE_OVERRIDES";

    /** See {@link #tokenFile()}. */
    public static final String TOKEN_FILE = "DUMPFLOW_SINK_TOKEN_FILE";

    /**
     * Where a SinkBinding mounts its OIDC token for the containers of its subject: a projected
     * volume at {@code /oidc} holding the token Secret's key {@code token}.
     */
    public static final String DEFAULT_TOKEN_FILE = "/oidc/token";

    private static final String OVERRIDES_FORMS =
            "JSON {\"extensions\":{\"name\":\"value\"}} with lower-case alphanumeric names";
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    public EmitConfig {
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        if (tokenFile == null || !tokenFile.isAbsolute()) {
            throw new IllegalArgumentException("tokenFile must be an absolute path");
        }
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

    /** Parses {@code K_SINK}, {@code K_CE_OVERRIDES} and {@code DUMPFLOW_SINK_TOKEN_FILE}. */
    public static EmitConfig fromEnv(Env env) {
        URI sink = env.httpUrl(SINK);
        Map<String, String> overrides =
                env.parsed(OVERRIDES, OVERRIDES_FORMS, EmitConfig::parseOverrides).orElse(Map.of());
        Path tokenFile =
                env.parsed(TOKEN_FILE, "an absolute file path", EmitConfig::absolute)
                        .orElse(Path.of(DEFAULT_TOKEN_FILE));
        return new EmitConfig(sink, overrides, tokenFile);
    }

    private static Path absolute(String raw) {
        try {
            Path path = Path.of(raw);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("not absolute");
            }
            return path;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e);
        }
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
