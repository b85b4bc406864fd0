package dev.dumpflow.sidecar.capture;

/** What became of a request to capture a process. */
public sealed interface CaptureDecision {

    /** The capture mode does not cover this process: nothing was due. */
    record NotDue() implements CaptureDecision {}

    /**
     * A capture started; the dump-dir watcher announces {@code fileName} once it is complete.
     *
     * @param fileName the final name, per {@code DumpNaming.captureFileName}
     */
    record Started(String fileName) implements CaptureDecision {}

    /**
     * A capture was due and was not started.
     *
     * @param limited true when a limit refused (rate, cooldown, disk, one already running), false
     *     when the process cannot be captured at all
     * @param reason why, for the event's {@code captureSkipped}, the log and the HTTP answer
     */
    record Skipped(boolean limited, String reason) implements CaptureDecision {}
}
