package dev.dumpflow.sidecar.config;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.dumpdir.DumpDirConfig;
import dev.dumpflow.sidecar.emit.EmitConfig;
import dev.dumpflow.sidecar.serve.ServeConfig;
import java.util.Map;

/**
 * The sidecar's whole configuration, parsed once from the environment at start-up.
 *
 * <p>Each feature owns a sub-record that parses its own variables through {@link Env}; a new
 * feature (memory thresholds, capture) adds its record as one more component here and one more line
 * in {@link #fromEnv(Map)}.
 *
 * @param emit where events go ({@code K_SINK}, {@code K_CE_OVERRIDES})
 * @param dumpDirs the watched dump directories and the state directory
 * @param serve the file server's port, advertised host and token lifetime
 * @param pod the pod identity the Downward API gives ({@code POD_NAME}, {@code POD_NAMESPACE},
 *     {@code POD_UID}, {@code NODE_NAME}, {@code CONTAINER_NAME})
 */
public record SidecarConfig(
        EmitConfig emit, DumpDirConfig dumpDirs, ServeConfig serve, PodIdentity pod) {

    public SidecarConfig {
        if (emit == null || dumpDirs == null || serve == null || pod == null) {
            throw new IllegalArgumentException("every part of the configuration is needed");
        }
    }

    /** Parses the environment; throws a {@link ConfigException} naming the first wrong variable. */
    public static SidecarConfig fromEnv(Map<String, String> environment) {
        Env env = Env.of(environment);
        return new SidecarConfig(
                EmitConfig.fromEnv(env),
                DumpDirConfig.fromEnv(env),
                ServeConfig.fromEnv(env),
                PodEnv.fromEnv(env));
    }
}
