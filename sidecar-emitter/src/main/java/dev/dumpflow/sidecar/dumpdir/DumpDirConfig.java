package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.sidecar.config.ConfigException;
import dev.dumpflow.sidecar.config.Env;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which directories are watched for dumps, and where the sidecar keeps what it announced.
 *
 * @param dirs {@code DUMPFLOW_DUMP_DIRS}: the absolute dump directories, comma-separated, or {@code
 *     none}; default {@code /dumps}, or none when {@code DUMPFLOW_PROCESS_DUMP_DIRS} is set
 * @param processDirs {@code DUMPFLOW_PROCESS_DUMP_DIRS}: directories inside each watched process's
 *     own file system, reached through {@code /proc/<pid>/root}; default none
 * @param stateDir {@code DUMPFLOW_STATE_DIR}: where announcements (with their tokens) persist
 *     across restarts; default {@code <first dump dir>/.dumpflow}, which a restarted container
 *     finds on the same emptyDir; required without dump directories
 */
public record DumpDirConfig(List<Path> dirs, List<ProcessDumpDir> processDirs, Path stateDir) {

    /** See {@link #dirs()}. */
    public static final String DIRS = "DUMPFLOW_DUMP_DIRS";

    /** See {@link #processDirs()}. */
    public static final String PROCESS_DIRS = "DUMPFLOW_PROCESS_DUMP_DIRS";

    /** See {@link #stateDir()}. */
    public static final String STATE_DIR = "DUMPFLOW_STATE_DIR";

    private static final String DIRS_FORMS =
            "a comma-separated list of absolute directory paths, for example /dumps,/tmp/dumps;"
                    + " or none, with "
                    + PROCESS_DIRS
                    + " set";
    private static final String STATE_FORMS = "an absolute directory path";

    public DumpDirConfig {
        dirs = dirs == null ? List.of() : List.copyOf(dirs);
        processDirs = processDirs == null ? List.of() : List.copyOf(processDirs);
        if (dirs.isEmpty() && processDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one dump directory is needed");
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("stateDir must not be null");
        }
    }

    /** Dump directories of the sidecar's own only, as before process directories existed. */
    public DumpDirConfig(List<Path> dirs, Path stateDir) {
        this(dirs, List.of(), stateDir);
    }

    /** Parses the three variables. */
    public static DumpDirConfig fromEnv(Env env) {
        List<ProcessDumpDir> processDirs =
                env.parsed(PROCESS_DIRS, ProcessDumpDir.FORMS, ProcessDumpDir::parseList)
                        .orElse(List.of());
        List<Path> dirs =
                env.parsed(DIRS, DIRS_FORMS, DumpDirConfig::parseDirs)
                        .orElse(processDirs.isEmpty() ? List.of(Path.of("/dumps")) : List.of());
        if (dirs.isEmpty() && processDirs.isEmpty()) {
            throw ConfigException.invalid(DIRS, env.string(DIRS, ""), DIRS_FORMS);
        }
        Path state =
                env.parsed(STATE_DIR, STATE_FORMS, DumpDirConfig::absolute)
                        .or(() -> dirs.stream().findFirst().map(d -> d.resolve(".dumpflow")))
                        .orElseThrow(
                                () ->
                                        ConfigException.missing(
                                                STATE_DIR,
                                                STATE_FORMS
                                                        + " of the sidecar's own (a small"
                                                        + " emptyDir), since "
                                                        + DIRS
                                                        + " gives no dump directory to keep"
                                                        + " the announcements and the outbox"
                                                        + " under"));
        return new DumpDirConfig(dirs, processDirs, state);
    }

    private static List<Path> parseDirs(String raw) {
        if (raw.equals("none")) {
            return List.of();
        }
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
