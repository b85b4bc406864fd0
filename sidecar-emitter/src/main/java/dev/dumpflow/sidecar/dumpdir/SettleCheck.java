package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;

import dev.dumpflow.sidecar.serve.HeldFile;
import dev.dumpflow.sidecar.serve.HeldFiles;
import dev.dumpflow.sidecar.serve.ProcessRootPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Decides that a closed file is finished: its size, time and identity did not change for a quiet
 * period after the last close, and no process holds it open for writing. A writer that closes and
 * reopens the file, or keeps a second descriptor open, therefore never gets its file announced
 * half-written; the next close starts the wait again.
 *
 * <p>The file is opened as soon as it is considered, and that descriptor is what gets announced: a
 * JVM that writes its OOM dump into its own {@code /tmp} and exits a few milliseconds later takes
 * the only path to the file with it, so the quiet period cannot wait for a path. While the path
 * still leads to the file, the path's state is what must settle, as in a dump directory; once the
 * process root it went through is gone, nobody can write the file any more, and the descriptor's
 * state is checked instead.
 *
 * <p>Every descriptor is taken through {@link HeldFiles}. A file it refuses for want of room is
 * deferred ({@link DeferredDumps}) and considered again, oldest first, once descriptors are free
 * (checked every {@link #RETRY}); a file announced already, as it is now, is not opened again.
 *
 * <p>All checks run on one thread of their own, so the inotify reader never waits for a disk or for
 * /proc.
 */
final class SettleCheck implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SettleCheck.class.getName());

    /** Takes a settled file; owns the held file from then on. */
    interface Settled {
        void accept(Path path, FileState state, HeldFile file);
    }

    /** How often deferred files are tried again while any wait. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final Duration quiet;
    private final HeldFiles files;
    private final BiPredicate<Path, FileState> announced;
    private final DeferredDumps deferred = new DeferredDumps();
    private volatile Consumer<Path> lister = dir -> {};
    private boolean retryScheduled;
    private final Settled onSettled;
    private final Consumer<Path> onUnreachable;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("dumpflow-settle").daemon().factory());
    private final Map<Path, Pending> pending = new HashMap<>();

    private record Pending(FileState state, long generation, HeldFile file) {}

    private long generations;

    /**
     * @param files the gate every descriptor is taken through
     * @param announced whether a file, in this state, was announced already (it is not opened)
     * @param onUnreachable takes a file that could not be opened because it was gone by then
     */
    SettleCheck(
            Duration quiet,
            HeldFiles files,
            BiPredicate<Path, FileState> announced,
            Settled onSettled,
            Consumer<Path> onUnreachable) {
        this.quiet = quiet;
        this.files = files;
        this.announced = announced;
        this.onSettled = onSettled;
        this.onUnreachable = onUnreachable;
    }

    /**
     * What lists a directory again, handing its files to {@link #consider(Path)}: for files
     * deferred in numbers past what {@link DeferredDumps} remembers one by one.
     */
    void listAgainWith(Consumer<Path> lister) {
        this.lister = lister;
    }

    /** A file was closed after writing, moved in, or found: check it after the quiet period. */
    void consider(Path file) {
        consider(file, null);
    }

    /**
     * As {@link #consider(Path)}, with the file already held since its creation (or null); this
     * check owns it from now on.
     */
    void consider(Path file, HeldFile heldEarly) {
        try {
            thread.execute(() -> restart(file, heldEarly, deferred.remove(file)));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            if (heldEarly != null) {
                heldEarly.close();
            }
        }
    }

    private void restart(Path path) {
        restart(path, null, false);
    }

    /**
     * @param deferredBefore whether the file was deferred before, and so logged already
     */
    private void restart(Path path, HeldFile heldEarly, boolean deferredBefore) {
        Pending earlier = pending.remove(path);
        if (heldEarly == null && earlier != null && unchanged(earlier)) {
            // Nothing written since its wait began (a directory listed at every poll): the wait
            // runs on, or a poll shorter than the quiet period would restart it for ever.
            pending.put(path, earlier);
            return;
        }
        HeldFile file;
        if (heldEarly != null) {
            if (earlier != null && earlier.file() != heldEarly) {
                earlier.file().close();
            }
            file = heldEarly;
        } else if (earlier != null && stillThere(earlier.file())) {
            file = earlier.file();
        } else {
            if (earlier != null) {
                earlier.file().close();
            }
            Optional<FileState> before = FileState.of(path);
            if (before.isPresent() && announced.test(path, before.get())) {
                return; // listed again, or closed again unchanged: nothing new to hold
            }
            try {
                file = files.open(path, HeldFiles.Use.DUMP);
            } catch (IOException gone) {
                onUnreachable.accept(path);
                return;
            } catch (HeldFiles.Full full) {
                deferred.defer(path, deferredBefore, files.max());
                scheduleRetry();
                return;
            }
        }
        Optional<FileState> state = stateOf(file);
        if (state.isEmpty()) {
            file.close();
            return;
        }
        long generation = ++generations;
        pending.put(path, new Pending(state.get(), generation, file));
        thread.schedule(() -> check(path, generation), quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(Path path, long generation) {
        Pending waiting = pending.get(path);
        if (waiting == null || waiting.generation() != generation) {
            return; // a later event restarted the wait
        }
        Optional<FileState> now = stateOf(waiting.file());
        if (now.isEmpty()) {
            pending.remove(path).file().close();
            return;
        }
        if (!now.get().equals(waiting.state())) {
            restart(path);
            return;
        }
        pending.remove(path);
        if (OpenWriters.anyHolds(path, now.get().identity())) {
            // Its writer closes it some time; that close is the next event for this file.
            LOG.log(DEBUG, "{0} is still open for writing; waiting for its close", path);
            waiting.file().close();
            return;
        }
        try {
            onSettled.accept(path, now.get(), waiting.file());
        } catch (RuntimeException failed) {
            waiting.file().close();
            LOG.log(ERROR, "could not announce " + path, failed);
        }
        // A file not announced (no dump, announced already) gave its descriptor back just now.
        drainDeferred();
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            thread.schedule(this::retryDeferred, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Tries deferred files again every {@link #RETRY}, for descriptors let go elsewhere. */
    private void retryDeferred() {
        retryScheduled = false;
        drainDeferred();
        if (!deferred.isEmpty()) {
            scheduleRetry();
        }
    }

    /**
     * Considers again deferred files, oldest first, while descriptors are free (a file gone
     * meanwhile takes none), then, once none waits, lists again the directories of those that could
     * not be remembered.
     */
    private void drainDeferred() {
        while (files.room(HeldFiles.Use.DUMP) > 0) {
            List<Path> oldest = deferred.takeFiles(1);
            if (oldest.isEmpty()) {
                deferred.takeDirs().forEach(lister);
                return;
            }
            restart(oldest.getFirst(), null, true);
        }
    }

    /** Whether the waiting file is there still, as it was when its wait began. */
    private static boolean unchanged(Pending pending) {
        return stateOf(pending.file()).filter(pending.state()::equals).isPresent();
    }

    /** Whether the held file is still the one its path named, or its root died holding it. */
    private static boolean stillThere(HeldFile file) {
        if (file.pathLeadsHere()) {
            return true;
        }
        try {
            return ProcessRootPath.rootVanished(file.path()) && !file.unlinked();
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static Optional<FileState> stateOf(HeldFile file) {
        if (file.pathLeadsHere()) {
            return FileState.of(file.path());
        }
        return stillThere(file) ? FileState.of(file) : Optional.empty();
    }

    /** Stops checking; files still waiting are found again by the next start-up scan. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(p -> p.file().close());
        pending.clear();
    }
}
