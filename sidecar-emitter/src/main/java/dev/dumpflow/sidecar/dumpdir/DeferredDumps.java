package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.WARNING;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Files the settle check could not open because {@code DUMPFLOW_MAX_HELD_FILES} descriptors were
 * held: remembered in arrival order and handed back once descriptors are free, so that a dump that
 * arrives during a flood of dump-named files is announced after it rather than lost. Each file is
 * logged once, with its path, when first deferred.
 *
 * <p>The memory is bounded too, for the same flood: past {@link #MAX_FILES} paths only the file's
 * directory is remembered (and logged once), and listed again once the remembered files are
 * through. Not thread-safe: the settle check's thread owns it.
 */
final class DeferredDumps {

    private static final System.Logger LOG = System.getLogger(DeferredDumps.class.getName());

    /** About 1 MiB of paths at most. */
    static final int MAX_FILES = 4096;

    private final int maxFiles;
    private final Set<Path> files = new LinkedHashSet<>();
    private final Set<Path> dirs = new LinkedHashSet<>();

    DeferredDumps() {
        this(MAX_FILES);
    }

    DeferredDumps(int maxFiles) {
        this.maxFiles = maxFiles;
    }

    /**
     * Remembers a file refused for want of descriptors.
     *
     * @param again whether it was deferred before (then it was logged already)
     */
    void defer(Path file, boolean again, int maxHeld) {
        if (files.size() < maxFiles) {
            if (files.add(file) && !again) {
                LOG.log(
                        WARNING,
                        "{0}: not announced yet, as {1} dump files are held"
                                + " (DUMPFLOW_MAX_HELD_FILES); it is considered again once one is"
                                + " let go",
                        file,
                        maxHeld);
            }
            return;
        }
        Path dir = file.getParent();
        if (dir != null && dirs.add(dir)) {
            LOG.log(
                    WARNING,
                    "{0}: more than {1} files wait for a descriptor; this directory is listed"
                            + " again once they are through",
                    dir,
                    maxFiles);
        }
    }

    /** Forgets the file (it got its turn); whether it was deferred. */
    boolean remove(Path file) {
        return files.remove(file);
    }

    /** Takes up to {@code n} files, the longest waiting first. */
    List<Path> takeFiles(int n) {
        List<Path> taken = new ArrayList<>(Math.min(n, files.size()));
        Iterator<Path> oldest = files.iterator();
        while (taken.size() < n && oldest.hasNext()) {
            taken.add(oldest.next());
            oldest.remove();
        }
        return taken;
    }

    /** Takes the directories to list again, once no file waits any more; else none. */
    List<Path> takeDirs() {
        if (!files.isEmpty()) {
            return List.of();
        }
        List<Path> taken = List.copyOf(dirs);
        dirs.clear();
        return taken;
    }

    boolean isEmpty() {
        return files.isEmpty() && dirs.isEmpty();
    }
}
