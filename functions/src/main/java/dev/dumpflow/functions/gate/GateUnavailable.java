package dev.dumpflow.functions.gate;

/**
 * What the gate needs to decide or to record a decision (the API server, the bucket) did not
 * answer; the request is answered 503 and nothing is handed out.
 */
public final class GateUnavailable extends RuntimeException {

    /** A failure named for the log and the 503 answer; the cause is kept for the log only. */
    public GateUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
