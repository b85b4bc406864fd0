package dev.dumpflow.functions.archive;

import java.io.IOException;

/**
 * The dump's content cannot be redacted (not HPROF, cut off, corrupt, or a gzip layer that does not
 * decompress), although the transfer itself went well: it is never stored, and the archive answers
 * {@code dump.failed} with code {@code unredactable}.
 */
final class UnredactableDump extends IOException {

    UnredactableDump(String message, Throwable cause) {
        super(message, cause);
    }
}
