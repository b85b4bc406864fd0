package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Decides that a closed file is finished: its size, time and identity did not change for a quiet
 * period after the last close, and no process holds it open for writing. A writer that closes and
 * reopens the file, or keeps a second descriptor open, therefore never gets its file announced
 * half-written; the next close starts the wait again.
 *
 * <p>All checks run on one thread of their own, so the inotify reader never waits for a disk or for
 * /proc.
 */
final class SettleCheck implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SettleCheck.class.getName());

    private final Duration quiet;
    private final BiConsumer<Path, FileState> onSettled;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("dumpflow-settle").daemon().factory());
    private final Map<Path, Pending> pending = new HashMap<>();

    private record Pending(FileState state, long generation) {}

    private long generations;

    SettleCheck(Duration quiet, BiConsumer<Path, FileState> onSettled) {
        this.quiet = quiet;
        this.onSettled = onSettled;
    }

    /** A file was closed after writing, moved in, or found: check it after the quiet period. */
    void consider(Path file) {
        thread.execute(() -> restart(file));
    }

    private void restart(Path file) {
        Optional<FileState> state = FileState.of(file);
        if (state.isEmpty()) {
            pending.remove(file);
            return;
        }
        long generation = ++generations;
        pending.put(file, new Pending(state.get(), generation));
        thread.schedule(() -> check(file, generation), quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(Path file, long generation) {
        Pending waiting = pending.get(file);
        if (waiting == null || waiting.generation() != generation) {
            return; // a later event restarted the wait
        }
        Optional<FileState> now = FileState.of(file);
        if (now.isEmpty()) {
            pending.remove(file);
            return;
        }
        if (!now.get().equals(waiting.state())) {
            restart(file);
            return;
        }
        pending.remove(file);
        if (OpenWriters.anyHolds(file)) {
            // Its writer closes it some time; that close is the next event for this file.
            LOG.log(DEBUG, "{0} is still open for writing; waiting for its close", file);
            return;
        }
        try {
            onSettled.accept(file, now.get());
        } catch (RuntimeException failed) {
            LOG.log(ERROR, "could not announce " + file, failed);
        }
    }

    /** Stops checking; files still waiting are found again by the next start-up scan. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
