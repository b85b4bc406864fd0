package dev.dumpflow.sidecar.memory;

import java.util.List;

/**
 * Told, after every poll of the memory watch, which processes are watched now: another feature
 * follows processes as they come and go without a second scan of {@code /proc}.
 */
@FunctionalInterface
public interface ProcessListener {

    /** Nobody listens. */
    ProcessListener NONE = alive -> {};

    /** The processes watched at this poll; one missing since the last call has gone. */
    void seen(List<WatchedProcess> alive);
}
