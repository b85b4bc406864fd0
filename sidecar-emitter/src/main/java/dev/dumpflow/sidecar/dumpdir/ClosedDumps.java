package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.emit.EventSink;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

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

    private ClosedDumps(SettleCheck settle, DumpDirWatcher watcher, Reannouncer reannouncer) {
        this.settle = settle;
        this.watcher = watcher;
        this.reannouncer = reannouncer;
    }

    /**
     * Starts watching.
     *
     * @param fetchBase {@code http://{host}:{port}/dumps/}, the base of fetch URLs
     */
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
        registry.forgetMissingFiles();
        DumpAnnouncer announcer = new DumpAnnouncer(registry, sink, pod, fetchBase, clock, metrics);
        SettleCheck settle = new SettleCheck(quietPeriod, announcer::announce);
        try {
            DumpDirWatcher watcher =
                    DumpDirWatcher.start(config.dirs(), config.stateDir(), settle::consider);
            return new ClosedDumps(
                    settle, watcher, Reannouncer.start(reannounce, registry, announcer, clock));
        } catch (IOException | RuntimeException failed) {
            settle.close();
            throw failed;
        }
    }

    @Override
    public void close() {
        reannouncer.close();
        watcher.close();
        settle.close();
    }
}
