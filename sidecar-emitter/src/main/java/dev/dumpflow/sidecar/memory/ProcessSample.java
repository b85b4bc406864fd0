package dev.dumpflow.sidecar.memory;

/**
 * A process and its resident set size at one poll.
 *
 * @param process the process incarnation
 * @param rssBytes its resident set size in bytes
 */
public record ProcessSample(WatchedProcess process, long rssBytes) {

    public ProcessSample {
        if (process == null || rssBytes < 0) {
            throw new IllegalArgumentException("a sample needs a process and a non-negative RSS");
        }
    }
}
