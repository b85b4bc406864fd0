package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches the dump directories with inotify for files closed after writing ({@code IN_CLOSE_WRITE})
 * and files moved in ({@code IN_MOVED_TO}), on a platform thread of its own that blocks in {@code
 * read}. It passes on the names that may be dumps; deciding that a file is finished is the {@link
 * SettleCheck}'s job.
 */
final class DumpDirWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DumpDirWatcher.class.getName());
    private static final int MASK = Inotify.IN_CLOSE_WRITE | Inotify.IN_MOVED_TO;

    private final Inotify inotify;
    private final Map<Integer, Path> dirsByWatch = new HashMap<>();
    private final Path stateDir;
    private final Consumer<Path> candidates;
    private final Thread reader;
    private volatile boolean stopping;

    private DumpDirWatcher(Inotify inotify, Path stateDir, Consumer<Path> candidates) {
        this.inotify = inotify;
        this.stateDir = stateDir;
        this.candidates = candidates;
        this.reader = Thread.ofPlatform().name("dumpflow-inotify").daemon().unstarted(this::run);
    }

    /**
     * Watches the directories (creating missing ones), starts reading, then hands every file
     * already there to the candidates: a file that was closed while nobody watched still gets its
     * turn.
     */
    static DumpDirWatcher start(List<Path> dirs, Path stateDir, Consumer<Path> candidates)
            throws IOException {
        Inotify inotify = Inotify.open();
        DumpDirWatcher watcher = new DumpDirWatcher(inotify, stateDir, candidates);
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
                watcher.dirsByWatch.put(inotify.addWatch(dir, MASK), dir);
                LOG.log(INFO, "watching {0} for closed dumps", dir);
            }
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
        if (event.is(Inotify.IN_IGNORED) || event.is(Inotify.IN_ISDIR)) {
            return;
        }
        Path dir = dirsByWatch.get(event.watch());
        if (dir != null && DumpNaming.mayBeADump(event.name())) {
            consider(dir.resolve(event.name()));
        }
    }

    private void scanAll() {
        for (Path dir : dirsByWatch.values()) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    if (DumpNaming.mayBeADump(file.getFileName().toString())) {
                        consider(file);
                    }
                }
            } catch (IOException unreadable) {
                LOG.log(ERROR, "cannot list " + dir, unreadable);
            }
        }
    }

    private void consider(Path file) {
        if (!file.startsWith(stateDir)) {
            candidates.accept(file);
        }
    }

    /** Stops watching: removing the watches wakes the blocked reader, which closes inotify. */
    @Override
    public void close() {
        stopping = true;
        dirsByWatch.keySet().forEach(inotify::removeWatch);
        try {
            reader.join(2_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
