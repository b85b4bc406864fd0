package dev.dumpflow.sidecar.emit;

/** Where the sidecar's features hand the events they want sent. */
public interface EventSink {

    /**
     * Sends an event, or queues it for sending; never blocks for long and never throws for a sink
     * that is down.
     *
     * @param type one of {@link dev.dumpflow.events.EventTypes}
     * @param subject the dumpId, or the pid for threshold events
     * @param dumpId the correlation key for the {@code dumpid} extension, or null
     * @param data the payload record
     */
    void emit(String type, String subject, String dumpId, Object data);
}
