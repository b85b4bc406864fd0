package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts transfers whose client has taken nothing for the send timeout, so that a client holding a
 * valid token cannot keep a transfer, or the sidecar's memory, by not reading. One daemon thread
 * looks at the running transfers a few times per timeout (at least every second); there are at most
 * {@link ServeLimits#maxTransfers()} of them.
 */
final class SendWatchdog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SendWatchdog.class.getName());

    private final TransferSlots slots;
    private final Duration timeout;
    private final SidecarMetrics metrics;
    private final ScheduledExecutorService timer;

    private SendWatchdog(TransferSlots slots, Duration timeout, SidecarMetrics metrics) {
        this.slots = slots;
        this.timeout = timeout;
        this.metrics = metrics;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("dumpflow-send-watchdog").daemon().factory());
    }

    /** Starts watching. */
    static SendWatchdog start(TransferSlots slots, Duration timeout, SidecarMetrics metrics) {
        SendWatchdog watchdog = new SendWatchdog(slots, timeout, metrics);
        long period = Math.clamp(timeout.toMillis() / 4, 50, 1000);
        watchdog.timer.scheduleWithFixedDelay(
                watchdog::cutStalled, period, period, TimeUnit.MILLISECONDS);
        return watchdog;
    }

    private void cutStalled() {
        long now = System.nanoTime();
        for (Transfer transfer : slots.active()) {
            if (transfer.cutIfStalled(now, timeout)) {
                metrics.transferCutStalled();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: transfer cut, its client took nothing for {1}",
                        transfer.dumpId(),
                        timeout);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
