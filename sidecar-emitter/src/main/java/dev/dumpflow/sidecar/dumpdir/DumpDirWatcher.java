package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.sidecar.serve.HeldFile;
import dev.dumpflow.sidecar.serve.HeldFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Watches the dump directories with inotify for files closed after writing ({@code IN_CLOSE_WRITE})
 * and files moved in ({@code IN_MOVED_TO}), on a platform thread of its own that blocks in {@code
 * read}. It passes on the names that may be dumps; deciding that a file is finished is the {@link
 * SettleCheck}'s job.
 *
 * <p>Directories inside other processes' file systems ({@code /proc/<pid>/root/...}) come and go
 * with their processes ({@link ProcessDumpDirs}); they are added and removed while the reader runs,
 * on the same inotify instance, and feed the same settle check.
 */
final class DumpDirWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DumpDirWatcher.class.getName());
    private static final int MASK = Inotify.IN_CLOSE_WRITE | Inotify.IN_MOVED_TO;

    /**
     * The state directory's own deletion: never expected, the watch exists so that removing it
     * wakes the reader at shutdown even when no dump directory is watched.
     */
    private static final int IN_DELETE_SELF = 0x0000_0400;

    /**
     * In a process's directory a dump is opened when it is created, not when it is closed: a JVM
     * that exits right after writing its OOM dump takes the only path to it along, often before a
     * close event could be acted on. Deleted or moved away, it is let go again.
     */
    private static final int PROCESS_MASK =
            MASK | Inotify.IN_CREATE | Inotify.IN_DELETE | Inotify.IN_MOVED_FROM;

    private final Inotify inotify;
    private final Map<Integer, Path> dirsByWatch = new ConcurrentHashMap<>();
    private int wakeWatch = -1;
    private final Path stateDir;
    private final BiConsumer<Path, HeldFile> candidates;
    private final HeldFiles files;
    private final Set<Integer> processWatches = ConcurrentHashMap.newKeySet();
    private final Map<Path, HeldFile> heldEarly = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean stopping;

    private DumpDirWatcher(
            Inotify inotify,
            Path stateDir,
            BiConsumer<Path, HeldFile> candidates,
            HeldFiles files) {
        this.inotify = inotify;
        this.stateDir = stateDir;
        this.candidates = candidates;
        this.files = files;
        this.reader = Thread.ofPlatform().name("dumpflow-inotify").daemon().unstarted(this::run);
    }

    /**
     * Watches the directories (creating missing ones), starts reading, then hands every file
     * already there to the candidates: a file that was closed while nobody watched still gets its
     * turn.
     *
     * @param files the gate through which files are held from their creation
     */
    static DumpDirWatcher start(
            List<Path> dirs, Path stateDir, BiConsumer<Path, HeldFile> candidates, HeldFiles files)
            throws IOException {
        Inotify inotify = Inotify.open();
        DumpDirWatcher watcher = new DumpDirWatcher(inotify, stateDir, candidates, files);
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
                watcher.dirsByWatch.put(inotify.addWatch(dir, MASK), dir);
                LOG.log(INFO, "watching {0} for closed dumps", dir);
            }
            watcher.wakeWatch = inotify.addWatch(stateDir, IN_DELETE_SELF);
        } catch (IOException | RuntimeException failed) {
            inotify.close();
            throw failed;
        }
        watcher.reader.start();
        watcher.scanAll();
        return watcher;
    }

    private void run() {
        try {
            while (!stopping) {
                for (Inotify.Event event : inotify.read()) {
                    dispatch(event);
                }
            }
        } catch (IOException | RuntimeException failed) {
            if (!stopping) {
                LOG.log(ERROR, "inotify reader stopped; no more dumps will be noticed", failed);
            }
        } finally {
            inotify.close();
        }
    }

    private void dispatch(Inotify.Event event) {
        if (event.is(Inotify.IN_Q_OVERFLOW)) {
            LOG.log(WARNING, "inotify queue overflowed; rescanning the dump directories");
            scanAll();
            return;
        }
        Path dir = dirsByWatch.get(event.watch());
        if (event.is(Inotify.IN_IGNORED)) {
            // A process directory's mount namespace died: what was held early is all there is.
            if (dir != null && processWatches.remove(event.watch())) {
                dirsByWatch.remove(event.watch());
                passOnHeldEarly(dir);
            }
            return;
        }
        if (dir == null || event.is(Inotify.IN_ISDIR)) {
            return;
        }
        Path file = dir.resolve(event.name());
        if (event.is(Inotify.IN_CREATE)) {
            holdEarly(file);
        } else if (event.is(Inotify.IN_DELETE) || event.is(Inotify.IN_MOVED_FROM)) {
            letGo(heldEarly.remove(file));
        } else if (DumpNaming.mayBeADump(event.name())) {
            consider(file, heldEarly.remove(file));
        }
    }

    private void holdEarly(Path file) {
        if (!DumpNaming.hasADumpName(file.getFileName().toString())) {
            return;
        }
        try {
            letGo(heldEarly.put(file, files.open(file, HeldFiles.Use.EARLY)));
        } catch (IOException goneAlready) {
            // The close event, if any, tries again and counts a vanished root.
        } catch (HeldFiles.Full full) {
            // Counted; a head start only: the file is opened when it closes, as in a directory
            // inotify cannot watch. Not logged: a flood of names would flood the log.
        }
    }

    private void passOnHeldEarly(Path dir) {
        for (Path file : List.copyOf(heldEarly.keySet())) {
            if (file.startsWith(dir)) {
                HeldFile held = heldEarly.remove(file);
                if (held != null) {
                    consider(file, held);
                }
            }
        }
    }

    private static void letGo(HeldFile held) {
        if (held != null) {
            held.close();
        }
    }

    private void scanAll() {
        dirsByWatch.values().forEach(this::scan);
    }

    /**
     * Hands every file of the directory that may be a dump to the candidates: for a directory just
     * watched, and for one inotify cannot watch, at every poll.
     */
    void scan(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (DumpNaming.mayBeADump(file.getFileName().toString())) {
                    consider(file, null);
                }
            }
        } catch (IOException unreadable) {
            LOG.log(ERROR, "cannot list " + dir, unreadable);
        }
    }

    /**
     * Watches one more directory while running; empty when inotify refuses it (the caller then
     * polls it with {@link #scan}). The same directory reached by another path gets the same watch
     * back, now under the new path.
     */
    OptionalInt watch(Path dir) {
        try {
            int wd = inotify.addWatch(dir, PROCESS_MASK);
            processWatches.add(wd);
            dirsByWatch.put(wd, dir);
            return OptionalInt.of(wd);
        } catch (IOException refused) {
            LOG.log(WARNING, "cannot watch {0} with inotify ({1}); polling it", dir, refused);
            return OptionalInt.empty();
        }
    }

    /** Whether a watch added with {@link #watch} is still in force (the kernel may drop it). */
    boolean watching(int wd) {
        return dirsByWatch.containsKey(wd);
    }

    /** Names a watched directory by another path (the first path's process is gone). */
    void repoint(int wd, Path dir) {
        dirsByWatch.replace(wd, dir);
    }

    /** Stops watching one directory added with {@link #watch}. */
    void unwatch(int wd) {
        Path dir = dirsByWatch.remove(wd);
        if (dir != null) {
            processWatches.remove(wd);
            // Already gone when the kernel dropped it with its mount namespace; harmless then.
            inotify.removeWatch(wd);
            passOnHeldEarly(dir);
        }
    }

    private void consider(Path file, HeldFile heldEarly) {
        if (!file.startsWith(stateDir)) {
            candidates.accept(file, heldEarly);
        } else {
            letGo(heldEarly);
        }
    }

    /** Stops watching: removing the watches wakes the blocked reader, which closes inotify. */
    @Override
    public void close() {
        stopping = true;
        dirsByWatch.keySet().forEach(inotify::removeWatch);
        if (wakeWatch >= 0) {
            inotify.removeWatch(wakeWatch);
        }
        try {
            reader.join(2_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        heldEarly.values().forEach(HeldFile::close);
        heldEarly.clear();
    }
}
