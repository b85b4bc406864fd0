package dev.dumpflow.sidecar.serve;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Announces a file as the dump directory watcher does, opening it now; a file that cannot be opened
 * (a test's made-up path) is recorded but never served.
 */
final class Announcing {

    private Announcing() {}

    static AnnouncedDump announce(
            AnnouncedDumps registry,
            String dumpId,
            Path file,
            long sizeBytes,
            long modifiedMillis,
            Instant closedAt,
            DumpFormat format,
            DumpCause cause,
            Long pid) {
        HeldFile opened;
        try {
            opened = registry.files().open(file, HeldFiles.Use.DUMP);
        } catch (IOException | HeldFiles.Full unopenable) {
            opened = null;
        }
        return registry.announce(
                dumpId, file, sizeBytes, modifiedMillis, closedAt, format, cause, pid, opened);
    }
}
