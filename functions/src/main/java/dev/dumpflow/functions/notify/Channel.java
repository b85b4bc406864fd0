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
     * @throws Refused when the channel refused this message for good, so that sending it again
     *     cannot help
     */
    void send(Notification notification);

    /**
     * The channel refused the message for good (a revoked webhook, a payload it will never take):
     * counted and logged, while the other channels still send.
     */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
