package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.sidecar.config.Env;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which directories are watched for dumps, and where the sidecar keeps what it announced.
 *
 * @param dirs {@code DUMPFLOW_DUMP_DIRS}: the absolute dump directories, comma-separated; default
 *     {@code /dumps}
 * @param stateDir {@code DUMPFLOW_STATE_DIR}: where announcements (with their tokens) persist
 *     across restarts; default {@code <first dump dir>/.dumpflow}, which a restarted container
 *     finds on the same emptyDir
 */
public record DumpDirConfig(List<Path> dirs, Path stateDir) {

    /** See {@link #dirs()}. */
    public static final String DIRS = "DUMPFLOW_DUMP_DIRS";

    /** See {@link #stateDir()}. */
    public static final String STATE_DIR = "DUMPFLOW_STATE_DIR";

    private static final String DIRS_FORMS =
            "a comma-separated list of absolute directory paths, for example /dumps,/tmp/dumps";
    private static final String STATE_FORMS = "an absolute directory path";

    public DumpDirConfig {
        if (dirs == null || dirs.isEmpty()) {
            throw new IllegalArgumentException("at least one dump directory is needed");
        }
        dirs = List.copyOf(dirs);
        if (stateDir == null) {
            throw new IllegalArgumentException("stateDir must not be null");
        }
    }

    /** Parses {@code DUMPFLOW_DUMP_DIRS} and {@code DUMPFLOW_STATE_DIR}. */
    public static DumpDirConfig fromEnv(Env env) {
        List<Path> dirs =
                env.parsed(DIRS, DIRS_FORMS, DumpDirConfig::parseDirs)
                        .orElse(List.of(Path.of("/dumps")));
        Path state =
                env.parsed(STATE_DIR, STATE_FORMS, DumpDirConfig::absolute)
                        .orElse(dirs.getFirst().resolve(".dumpflow"));
        return new DumpDirConfig(dirs, state);
    }

    private static List<Path> parseDirs(String raw) {
        List<Path> dirs =
                Arrays.stream(raw.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(DumpDirConfig::absolute)
                        .distinct()
                        .toList();
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return dirs;
    }

    private static Path absolute(String raw) {
        try {
            Path path = Path.of(raw);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("relative");
            }
            return path.normalize();
        } catch (InvalidPathException bad) {
            throw new IllegalArgumentException(bad);
        }
    }
}
