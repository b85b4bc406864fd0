package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.memory.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses a capture the dump directory has no room for. A dump is about as large as the process's
 * resident set (a .NET heap dump) or smaller (an HPROF of live objects), so the RSS is the budget:
 * a full volume would fail the dump half-written, or get the pod evicted.
 */
public final class DiskBudget {

    private DiskBudget() {}

    /**
     * Checks the budget.
     *
     * @param dumpDir the directory the dump goes to
     * @param neededBytes the room the dump needs, the process's RSS
     * @return empty when there is room, else the reason there is not
     */
    public static Optional<String> check(Path dumpDir, long neededBytes) {
        long usable;
        try {
            usable = Files.getFileStore(dumpDir).getUsableSpace();
        } catch (IOException e) {
            return Optional.of("disk budget: cannot tell the free space of " + dumpDir + ": " + e);
        }
        if (usable < neededBytes) {
            return Optional.of(
                    "disk budget: "
                            + dumpDir
                            + " has "
                            + ByteSize.format(usable)
                            + " free, less than the process's RSS of "
                            + ByteSize.format(neededBytes));
        }
        return Optional.empty();
    }
}
