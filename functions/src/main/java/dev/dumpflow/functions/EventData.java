package dev.dumpflow.functions;

import io.quarkus.funqy.knative.events.CloudEvent;

/**
 * Reads a function's input. Funqy binds a binary-mode event's data only when it is asked for, so
 * data that does not fit its record surfaces here, and {@link FailureResponses} answers it 400 with
 * the record's own message; an event with no data at all is a bad event too.
 */
public final class EventData {

    private EventData() {}

    /** The event's data, never null. */
    public static <T> T of(CloudEvent<T> event) {
        T data = event.data();
        if (data == null) {
            throw FunctionFailure.badEvent(
                    "a " + event.type() + " event needs its data (event id " + event.id() + ")");
        }
        return data;
    }
}
