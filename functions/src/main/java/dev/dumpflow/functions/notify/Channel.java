package dev.dumpflow.functions.notify;

/** A way to reach people. Every channel is optional, except the console. */
public interface Channel {

    /** A short name for logs, such as {@code slack}. */
    String name();

    /** Whether the channel is configured. */
    boolean enabled();

    /**
     * Delivers the message.
     *
     * @throws dev.dumpflow.functions.FunctionFailure unavailable when the channel is down for now,
     *     so that the Broker delivers the event again
     */
    void send(Notification notification);
}
