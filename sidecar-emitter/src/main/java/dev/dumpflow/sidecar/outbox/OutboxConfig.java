package dev.dumpflow.sidecar.outbox;

import dev.dumpflow.sidecar.config.Env;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where events wait until the sink has them, and how many may wait.
 *
 * @param dir {@code DUMPFLOW_OUTBOX_DIR}: the absolute directory that holds one file per event not
 *     yet delivered; default {@code <state dir>/outbox}, which a restarted container finds again
 * @param maxEvents {@code DUMPFLOW_OUTBOX_MAX_EVENTS}: how many events may wait; an event past that
 *     is logged as lost and counted; default 10000
 */
public record OutboxConfig(Path dir, int maxEvents) {

    /** See {@link #dir()}. */
    public static final String DIR = "DUMPFLOW_OUTBOX_DIR";

    /** See {@link #maxEvents()}. */
    public static final String MAX_EVENTS = "DUMPFLOW_OUTBOX_MAX_EVENTS";

    /** The largest bound accepted, so that the index of waiting entries stays small. */
    public static final int MAX_EVENTS_LIMIT = 1_000_000;

    public OutboxConfig {
        if (dir == null || !dir.isAbsolute()) {
            throw new IllegalArgumentException("dir must be an absolute path");
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1");
        }
    }

    /** Parses the outbox's variables; the default directory is under the state directory. */
    public static OutboxConfig fromEnv(Env env, Path stateDir) {
        Path dir =
                env.parsed(DIR, "an absolute directory path", OutboxConfig::absolute)
                        .orElse(stateDir.resolve("outbox"));
        return new OutboxConfig(dir, env.positiveInt(MAX_EVENTS, 10_000, MAX_EVENTS_LIMIT));
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
