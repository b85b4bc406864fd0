package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.capture.dotnet.DotnetDumpType;
import dev.dumpflow.sidecar.config.DurationText;
import dev.dumpflow.sidecar.config.Env;
import dev.dumpflow.sidecar.dumpdir.DumpDirConfig;
import dev.dumpflow.sidecar.memory.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How dumps are captured, read once from the environment.
 *
 * @param mode {@code DUMPFLOW_CAPTURE}: off, jvm, dotnet or auto; default off
 * @param dumpDir where captures land, as the target sees it: the first of {@code
 *     DUMPFLOW_DUMP_DIRS} (default {@code /dumps}), the same path in the app container (a shared
 *     emptyDir); or, when {@code inProcess}, {@code DUMPFLOW_CAPTURE_DIR_IN_PROCESS}
 * @param inProcess whether captures land inside the target's own file system, found there through
 *     {@code /proc/<pid>/root}: when {@code DUMPFLOW_CAPTURE_DIR_IN_PROCESS} is set, or when there
 *     is no dump directory (then in {@code /tmp})
 * @param stateDir {@code DUMPFLOW_STATE_DIR}: where the capture ledger persists; default {@code
 *     <dumpDir>/.dumpflow}
 * @param limit {@code DUMPFLOW_CAPTURE_LIMIT}: captures per process per window; default 3/1h
 * @param cooldown {@code DUMPFLOW_CAPTURE_COOLDOWN}: the least time between two captures of a
 *     process; default 0s (none), so that a doubling ladder crossed quickly still gets its dumps
 * @param timeout {@code DUMPFLOW_CAPTURE_TIMEOUT}: how long a dump may take; default 10m
 * @param dotnetDumpType {@code DUMPFLOW_DOTNET_DUMP_TYPE}: default WithHeap
 * @param adminToken {@code DUMPFLOW_ADMIN_TOKEN}: enables {@code POST /captures}; absent = disabled
 * @param dumpDirSizeLimit {@code DUMPFLOW_DUMP_DIR_SIZE_LIMIT}: the dump volume's own limit (the
 *     emptyDir {@code sizeLimit}), counted into the disk budget; absent = the file system's free
 *     space only
 */
public record CaptureConfig(
        CaptureMode mode,
        Path dumpDir,
        boolean inProcess,
        Path stateDir,
        CaptureLimit limit,
        Duration cooldown,
        Duration timeout,
        DotnetDumpType dotnetDumpType,
        Optional<AdminToken> adminToken,
        OptionalLong dumpDirSizeLimit) {

    public CaptureConfig {
        if (mode == null
                || dumpDir == null
                || stateDir == null
                || limit == null
                || cooldown == null
                || timeout == null
                || dotnetDumpType == null
                || adminToken == null
                || dumpDirSizeLimit == null) {
            throw new IllegalArgumentException("every capture setting is required");
        }
        if (!dumpDir.isAbsolute()) {
            throw new IllegalArgumentException(
                    (inProcess ? DIR_IN_PROCESS : "DUMPFLOW_DUMP_DIRS")
                            + " must hold absolute paths, was "
                            + dumpDir);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("DUMPFLOW_CAPTURE_TIMEOUT must be positive");
        }
    }

    /** See {@link #inProcess()}. */
    public static final String DIR_IN_PROCESS = "DUMPFLOW_CAPTURE_DIR_IN_PROCESS";

    /**
     * Where dumps are written on the shared volume before they are moved, complete, into the dump
     * directory. In the process, a dump is written next to its final name with a {@code .partial}
     * suffix instead, which the watch ignores.
     */
    public Path partialDir() {
        return dumpDir.resolve(".dumpflow").resolve("partial");
    }

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming the variable and its accepted forms
     */
    public static CaptureConfig fromEnv(Map<String, String> env) {
        CaptureMode mode = CaptureMode.parse(value(env, "DUMPFLOW_CAPTURE", "off"));
        // The dump path owns these two variables; parsing them once keeps both features agreeing.
        DumpDirConfig dirs = DumpDirConfig.fromEnv(Env.of(env));
        String inProcessText = blankToNull(env.get(DIR_IN_PROCESS));
        boolean inProcess = inProcessText != null || dirs.dirs().isEmpty();
        Path dumpDir;
        if (inProcess) {
            String raw = inProcessText == null ? "/tmp" : inProcessText.strip();
            try {
                dumpDir = Path.of(raw).normalize();
            } catch (java.nio.file.InvalidPathException bad) {
                throw new IllegalArgumentException(
                        DIR_IN_PROCESS + ": '" + raw + "' is no path; accepted: an absolute path",
                        bad);
            }
        } else {
            dumpDir = dirs.dirs().getFirst();
        }
        Path stateDir = dirs.stateDir();
        CaptureLimit limit = CaptureLimit.parse(value(env, "DUMPFLOW_CAPTURE_LIMIT", "3/1h"));
        Duration cooldown = duration(env, "DUMPFLOW_CAPTURE_COOLDOWN", "0s");
        Duration timeout = duration(env, "DUMPFLOW_CAPTURE_TIMEOUT", "10m");
        DotnetDumpType type =
                DotnetDumpType.parse(value(env, "DUMPFLOW_DOTNET_DUMP_TYPE", "WithHeap"));
        Optional<AdminToken> token =
                env.containsKey("DUMPFLOW_ADMIN_TOKEN")
                        ? Optional.of(AdminToken.of(env.get("DUMPFLOW_ADMIN_TOKEN")))
                        : Optional.empty();
        OptionalLong sizeLimit = OptionalLong.empty();
        String sizeText = blankToNull(env.get("DUMPFLOW_DUMP_DIR_SIZE_LIMIT"));
        if (sizeText != null) {
            try {
                sizeLimit = OptionalLong.of(ByteSize.parse(sizeText));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "DUMPFLOW_DUMP_DIR_SIZE_LIMIT: " + e.getMessage(), e);
            }
        }
        return new CaptureConfig(
                mode, dumpDir, inProcess, stateDir, limit, cooldown, timeout, type, token,
                sizeLimit);
    }

    private static Duration duration(Map<String, String> env, String name, String fallback) {
        try {
            return DurationText.parse(value(env, name, fallback));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = blankToNull(env.get(name));
        return v == null ? fallback : v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
