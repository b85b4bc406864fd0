package dev.dumpflow.sidecar.config;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.dumpdir.DumpDirConfig;
import dev.dumpflow.sidecar.dumpdir.ReannounceConfig;
import dev.dumpflow.sidecar.emit.EmitConfig;
import dev.dumpflow.sidecar.memory.MemoryConfig;
import dev.dumpflow.sidecar.outbox.OutboxConfig;
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
 * @param memory the memory thresholds and how processes are watched
 * @param capture how dumps are captured when a threshold is crossed or on request
 * @param outbox where events wait until the sink has them, and how many may wait
 * @param reannounce when a dump archive has not deleted is announced again
 */
public record SidecarConfig(
        EmitConfig emit,
        DumpDirConfig dumpDirs,
        ServeConfig serve,
        PodIdentity pod,
        MemoryConfig memory,
        CaptureConfig capture,
        OutboxConfig outbox,
        ReannounceConfig reannounce) {

    public SidecarConfig {
        if (emit == null
                || dumpDirs == null
                || serve == null
                || pod == null
                || memory == null
                || capture == null
                || outbox == null
                || reannounce == null) {
            throw new IllegalArgumentException("every part of the configuration is needed");
        }
    }

    /**
     * Parses the environment; throws an {@link IllegalArgumentException} (a {@link ConfigException}
     * for the dump path) naming the first wrong variable and its accepted forms.
     */
    public static SidecarConfig fromEnv(Map<String, String> environment) {
        Env env = Env.of(environment);
        DumpDirConfig dumpDirs = DumpDirConfig.fromEnv(env);
        OutboxConfig outbox = OutboxConfig.fromEnv(env, dumpDirs.stateDir());
        if (dumpDirs.dirs().contains(outbox.dir())) {
            // Its entries would be announced as dumps.
            throw ConfigException.invalid(
                    OutboxConfig.DIR,
                    outbox.dir().toString(),
                    "an absolute directory path that is not one of " + DumpDirConfig.DIRS);
        }
        return new SidecarConfig(
                EmitConfig.fromEnv(env),
                dumpDirs,
                ServeConfig.fromEnv(env),
                PodEnv.fromEnv(env),
                MemoryConfig.fromEnv(environment),
                CaptureConfig.fromEnv(environment),
                outbox,
                ReannounceConfig.fromEnv(env));
    }
}
