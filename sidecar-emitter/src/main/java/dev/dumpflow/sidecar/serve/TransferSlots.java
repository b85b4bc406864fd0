package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.metrics.SidecarMetrics.TransferRefusal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transfers the file server grants: at most {@link ServeLimits#maxTransfers()} dump bodies at
 * once, and at most {@link ServeLimits#maxTransfersPerDump()} of one dump. Each granted transfer
 * lends one chunk buffer, returned when it ends and lent to the next, so that at most {@code
 * maxTransfers} buffers ever exist: what sending costs is fixed, whatever the number of clients.
 */
final class TransferSlots {

    /**
     * How much of the file one read takes. Under the C library's mmap threshold (128 KiB): the NIO
     * temporary buffer of a read this size comes from the heap arena and is reused, not mapped and
     * unmapped per chunk.
     */
    static final int CHUNK = 64 * 1024;

    /** Whether a GET may send its dump's bytes now. */
    sealed interface Admission permits Granted, Refused {}

    /** It may: the transfer holds its slot until closed. */
    record Granted(Transfer transfer) implements Admission {}

    /** It may not, for this reason. */
    record Refused(TransferRefusal reason) implements Admission {}

    private final ServeLimits limits;
    private final SidecarMetrics metrics;
    private final Set<Transfer> active = new LinkedHashSet<>();
    private final Map<String, Integer> activePerDump = new HashMap<>();
    private final ArrayDeque<byte[]> idleBuffers = new ArrayDeque<>();

    TransferSlots(ServeLimits limits, SidecarMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    /** Grants a transfer of the dump to the calling thread, or says why not. */
    synchronized Admission admit(String dumpId) {
        if (activePerDump.getOrDefault(dumpId, 0) >= limits.maxTransfersPerDump()) {
            return refuse(TransferRefusal.DUMP_BUSY);
        }
        if (active.size() >= limits.maxTransfers()) {
            return refuse(TransferRefusal.BUSY);
        }
        byte[] buffer = idleBuffers.isEmpty() ? new byte[CHUNK] : idleBuffers.pop();
        Transfer transfer = new Transfer(this, dumpId, buffer, Thread.currentThread());
        active.add(transfer);
        activePerDump.merge(dumpId, 1, Integer::sum);
        metrics.transferStarted();
        return new Granted(transfer);
    }

    /** The transfers running now. */
    synchronized List<Transfer> active() {
        return List.copyOf(active);
    }

    /** Frees the transfer's slot and takes its buffer back; called once, by {@link Transfer}. */
    synchronized void release(Transfer transfer) {
        if (!active.remove(transfer)) {
            return;
        }
        activePerDump.computeIfPresent(transfer.dumpId(), (id, n) -> n == 1 ? null : n - 1);
        idleBuffers.push(transfer.buffer());
        metrics.transferEnded();
    }

    private Refused refuse(TransferRefusal reason) {
        metrics.transferRefused(reason);
        return new Refused(reason);
    }
}
