package dev.dumpflow.cli;

/**
 * Why {@code dumpflow dumps} could not do what it was asked, with the exit status that tells the
 * causes apart for scripts.
 */
final class CliFailure extends Exception {

    /** The causes, each with its own exit status (listed in the command's {@code --help}). */
    enum Kind {
        /**
         * A local file could not be written, or the gate or storage answered something unusable.
         */
        FAILED(1),
        /** The command line is wrong, or no gate URL is configured. */
        USAGE(2),
        /** The gate (or the storage behind its link) could not be reached. */
        UNREACHABLE(3),
        /** The gate answered 401: no token, or the token is invalid or expired. */
        UNAUTHORIZED(4),
        /** The gate answered 403: the token's user may not list dumps in that namespace. */
        FORBIDDEN(5),
        /** The gate answered 404: no such dump, or one the user may not get. */
        NOT_FOUND(6),
        /** The downloaded dump's SHA-256 differs from the record's; nothing was written. */
        CHECKSUM_MISMATCH(7);

        final int exitStatus;

        Kind(int exitStatus) {
            this.exitStatus = exitStatus;
        }
    }

    private final Kind kind;

    private CliFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static CliFailure of(Kind kind, String message) {
        return new CliFailure(kind, message, null);
    }

    static CliFailure of(Kind kind, String message, Throwable cause) {
        return new CliFailure(kind, message, cause);
    }

    static CliFailure usage(String message) {
        return new CliFailure(Kind.USAGE, message, null);
    }

    Kind kind() {
        return kind;
    }
}
