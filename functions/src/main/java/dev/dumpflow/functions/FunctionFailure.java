package dev.dumpflow.functions;

/**
 * Why a function could not do its job. The {@link Kind} decides whether the Broker retries: {@link
 * FailureResponses} maps it to the HTTP status in one place.
 *
 * <p>The Knative data-plane spec retries 404, 408, 409, 429 and 5xx, so a failure that can never
 * succeed must answer another 4xx, or the Broker would start a retry storm.
 */
public final class FunctionFailure extends RuntimeException {

    /** The kinds of failure, each with the status it is answered with. */
    public enum Kind {
        /** The event is malformed or misses a field: never retried. */
        BAD_EVENT(400),
        /**
         * The event asks for something dumpflow refuses, such as a host not allowed: never retried.
         */
        NOT_ALLOWED(403),
        /**
         * The event claims what the Kubernetes API or the bucket disproves (a pod, its address, a
         * stored dump): never retried, and never acted on.
         */
        CLAIM_REFUSED(400),
        /** The event is well formed but can never be processed, such as a dump gone for good. */
        UNPROCESSABLE(422),
        /** Something we depend on is down for now (S3, the sidecar): retried by the Broker. */
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status this kind is answered with. */
        public int status() {
            return status;
        }

        /** Whether the Broker should deliver the event again. */
        public boolean retryable() {
            return status >= 500;
        }
    }

    private final Kind kind;

    private FunctionFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The event is malformed or misses something it needs. */
    public static FunctionFailure badEvent(String message) {
        return new FunctionFailure(Kind.BAD_EVENT, message, null);
    }

    /** The event asks for something refused by configuration. */
    public static FunctionFailure notAllowed(String message) {
        return new FunctionFailure(Kind.NOT_ALLOWED, message, null);
    }

    /** The event's claim does not hold. The message names the mismatch and never a token. */
    public static FunctionFailure claimRefused(String message) {
        return new FunctionFailure(Kind.CLAIM_REFUSED, message, null);
    }

    /** The event can never be processed, whatever the retries. */
    public static FunctionFailure unprocessable(String message, Throwable cause) {
        return new FunctionFailure(Kind.UNPROCESSABLE, message, cause);
    }

    /** A dependency is down for now; the Broker should retry. */
    public static FunctionFailure unavailable(String message, Throwable cause) {
        return new FunctionFailure(Kind.UNAVAILABLE, message, cause);
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }
}
