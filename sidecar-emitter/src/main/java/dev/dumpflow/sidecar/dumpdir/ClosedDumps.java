package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.emit.EventSink;
import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.ProcessListener;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The dump path's detection half, assembled: inotify on every dump directory, the settle check, and
 * the announcer. Files found at start-up that were never announced are announced, and announced
 * files that archive has not deleted in time are announced again.
 */
public final class ClosedDumps implements AutoCloseable {

    /** How long a closed file must stay unchanged before it is announced. */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(250);

    private final SettleCheck settle;
    private final DumpDirWatcher watcher;
    private final Reannouncer reannouncer;
    private final ProcessListener processDirs;

    private ClosedDumps(
            SettleCheck settle,
            DumpDirWatcher watcher,
            Reannouncer reannouncer,
            ProcessListener processDirs) {
        this.settle = settle;
        this.watcher = watcher;
        this.reannouncer = reannouncer;
        this.processDirs = processDirs;
    }

    /** Starts watching the sidecar's own dump directories and the configured process ones. */
    public static ClosedDumps start(
            DumpDirConfig config,
            ReannounceConfig reannounce,
            AnnouncedDumps registry,
            EventSink sink,
            PodIdentity pod,
            String fetchBase,
            Duration quietPeriod,
            Clock clock,
            SidecarMetrics metrics)
            throws IOException {
        return start(
                config,
                List.of(),
                reannounce,
                registry,
                sink,
                pod,
                fetchBase,
                quietPeriod,
                clock,
                metrics);
    }

    /**
     * Starts watching.
     *
     * @param moreProcessDirs directories watched inside every watched process besides the
     *     configured ones (where captures land in the process)
     * @param fetchBase {@code http://{host}:{port}/dumps/}, the base of fetch URLs
     */
    public static ClosedDumps start(
            DumpDirConfig config,
            List<Path> moreProcessDirs,
            ReannounceConfig reannounce,
            AnnouncedDumps registry,
            EventSink sink,
            PodIdentity pod,
            String fetchBase,
            Duration quietPeriod,
            Clock clock,
            SidecarMetrics metrics)
            throws IOException {
        registry.forgetMissingFiles();
        DumpAnnouncer announcer = new DumpAnnouncer(registry, sink, pod, fetchBase, clock, metrics);
        SettleCheck settle =
                new SettleCheck(
                        quietPeriod,
                        registry.files(),
                        (file, state) ->
                                registry.isAnnounced(
                                        file,
                                        state.sizeBytes(),
                                        state.modifiedMillis(),
                                        state.identity()),
                        announcer::announce,
                        announcer::unreachable);
        try {
            DumpDirWatcher watcher =
                    DumpDirWatcher.start(
                            config.dirs(), config.stateDir(), settle::consider, registry.files());
            settle.listAgainWith(watcher::scan);
            List<ProcessDumpDir> inProcesses = config.processDirs();
            ProcessListener processDirs =
                    inProcesses.isEmpty() && moreProcessDirs.isEmpty()
                            ? ProcessListener.NONE
                            : new ProcessDumpDirs(
                                    inProcesses,
                                    moreProcessDirs,
                                    ProcFiles.system(),
                                    watcher,
                                    metrics);
            return new ClosedDumps(
                    settle,
                    watcher,
                    Reannouncer.start(reannounce, registry, announcer, clock),
                    processDirs);
        } catch (IOException | RuntimeException failed) {
            settle.close();
            throw failed;
        }
    }

    /**
     * What follows the processes the memory watch reports, to watch the dump directories inside
     * them; does nothing when none are configured.
     */
    public ProcessListener processDirs() {
        return processDirs;
    }

    @Override
    public void close() {
        reannouncer.close();
        watcher.close();
        settle.close();
    }
}
