package dev.dumpflow.analysis.command;

/**
 * Why {@code dumpflow analyze} could not summarise a file: the one line a person reads, and the
 * exit status a script tests.
 */
final class AnalyzeFailure extends Exception {

    /** What went wrong, and the exit status it gives. */
    enum Kind {
        /** The command line is wrong. */
        USAGE(2),
        /** The file is missing or cannot be read. */
        UNREADABLE(1),
        /** The file is not a heap dump this command reads. */
        UNKNOWN_FORMAT(1),
        /** The file is a heap dump, but cut off or corrupt. */
        DAMAGED(1);

        final int exitStatus;

        Kind(int exitStatus) {
            this.exitStatus = exitStatus;
        }
    }

    private final Kind kind;

    private AnalyzeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static AnalyzeFailure usage(String message) {
        return new AnalyzeFailure(Kind.USAGE, message, null);
    }

    static AnalyzeFailure unreadable(String message, Throwable cause) {
        return new AnalyzeFailure(Kind.UNREADABLE, message, cause);
    }

    static AnalyzeFailure unknownFormat(String message) {
        return new AnalyzeFailure(Kind.UNKNOWN_FORMAT, message, null);
    }

    static AnalyzeFailure damaged(String message, Throwable cause) {
        return new AnalyzeFailure(Kind.DAMAGED, message, cause);
    }

    Kind kind() {
        return kind;
    }
}
