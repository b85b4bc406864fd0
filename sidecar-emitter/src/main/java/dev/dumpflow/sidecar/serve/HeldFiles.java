package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one gate every descriptor the sidecar holds on a dump file goes through ({@code
 * DUMPFLOW_MAX_HELD_FILES}): a file held since its creation, a file settling, an announced dump.
 * Anyone who can write to a watched directory can create dump-named files by the thousand; without
 * a cap each would cost a descriptor until the sidecar's {@code nofile} limit left it unable to
 * accept a connection or open anything, serving nobody.
 *
 * <p>A {@link HeldFile} takes its place here when opened and gives it back when closed, however
 * long it lives and whoever owns it by then, so the count is exact. Holds at creation ({@link
 * Use#EARLY}) may take only half of the cap: they are a head start that a file can do without (it
 * is opened again when it closes), and a flood of files kept open for writing must not leave no
 * room to announce a finished dump.
 */
public final class HeldFiles {

    /** {@code DUMPFLOW_MAX_HELD_FILES} when unset. */
    public static final int DEFAULT_MAX = 256;

    /** What a descriptor is opened for. */
    public enum Use {
        /** At a dump-named file's creation, before it is finished; at most half of the cap. */
        EARLY,
        /** To settle, announce and serve a dump. */
        DUMP;

        /** The metric label: {@code early}, {@code dump}. */
        public String label() {
            return this == EARLY ? "early" : "dump";
        }
    }

    /** The cap was reached: the file was not opened. */
    public static final class Full extends Exception {
        private Full(Path path, int max) {
            super("no descriptor free under DUMPFLOW_MAX_HELD_FILES (" + max + ") for " + path);
        }
    }

    private final int max;
    private final SidecarMetrics metrics;
    private int held;

    /**
     * @param max the most descriptors held at once, at least 1
     */
    public HeldFiles(int max, SidecarMetrics metrics) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.metrics = metrics;
    }

    /**
     * Opens the file ({@link HeldFile#open}) if the cap leaves room for this use; a refusal is
     * counted.
     *
     * @throws Full at the cap
     * @throws IOException as {@link HeldFile#open} does; the place taken is given back
     */
    public HeldFile open(Path path, Use use) throws IOException, Full {
        take(path, use);
        try {
            return HeldFile.open(path, this::giveBack);
        } catch (IOException | RuntimeException failed) {
            giveBack();
            throw failed;
        }
    }

    /** How many more files could be opened for this use now. */
    public synchronized int room(Use use) {
        return Math.max(0, limit(use) - held);
    }

    /** Descriptors held now. */
    public synchronized int held() {
        return held;
    }

    /** The cap. */
    public int max() {
        return max;
    }

    private synchronized void take(Path path, Use use) throws Full {
        if (held >= limit(use)) {
            metrics.fileRefused(use.label());
            throw new Full(path, max);
        }
        held++;
        metrics.fileHeld();
    }

    private synchronized void giveBack() {
        held--;
        metrics.fileReleased();
    }

    private int limit(Use use) {
        return use == Use.EARLY ? max / 2 : max;
    }
}
