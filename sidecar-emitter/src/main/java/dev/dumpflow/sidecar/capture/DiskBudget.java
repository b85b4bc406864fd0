package dev.dumpflow.sidecar.capture;

import dev.dumpflow.sidecar.memory.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Refuses a capture the dump directory has no room for. A dump is about as large as the process's
 * resident set (a .NET heap dump) or smaller (an HPROF of live objects), so the RSS is the budget:
 * a full volume fails the dump half-written, and an emptyDir past its {@code sizeLimit} gets the
 * pod evicted, which the file system's free space does not show.
 */
public final class DiskBudget {

    private final Path dumpDir;
    private final OptionalLong sizeLimit;

    /**
     * @param dumpDir the directory dumps go to
     * @param sizeLimit the volume's own limit (an emptyDir {@code sizeLimit}), if it has one
     */
    public DiskBudget(Path dumpDir, OptionalLong sizeLimit) {
        this.dumpDir = dumpDir;
        this.sizeLimit = sizeLimit;
    }

    /**
     * Checks the budget.
     *
     * @param neededBytes the room the dump needs, the process's RSS
     * @return empty when there is room, else the reason there is not
     */
    public Optional<String> check(long neededBytes) {
        long free;
        try {
            free = Files.getFileStore(dumpDir).getUsableSpace();
            if (sizeLimit.isPresent()) {
                free = Math.min(free, Math.max(0, sizeLimit.getAsLong() - used()));
            }
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("disk budget: cannot tell the free space of " + dumpDir + ": " + e);
        }
        if (free < neededBytes) {
            return Optional.of(
                    "disk budget: "
                            + dumpDir
                            + " has "
                            + ByteSize.format(free)
                            + " free"
                            + (sizeLimit.isPresent()
                                    ? " of its " + ByteSize.format(sizeLimit.getAsLong()) + " limit"
                                    : "")
                            + ", less than the process's RSS of "
                            + ByteSize.format(neededBytes));
        }
        return Optional.empty();
    }

    /**
     * Checks the budget of a directory inside a process's own file system, reached through its
     * root: a dump there counts against the container's writable layer or ephemeral storage, whose
     * free space {@code statvfs} through that same path tells.
     *
     * @param dirThroughRoot {@code /proc/<pid>/root/<dir>}
     * @param neededBytes the room the dump needs, the process's RSS
     * @return empty when there is room, else the reason there is not
     */
    public static Optional<String> checkInside(Path dirThroughRoot, long neededBytes) {
        if (!Files.isDirectory(dirThroughRoot)) {
            return Optional.of("disk budget: " + dirThroughRoot + " is no directory");
        }
        // File's statvfs, not Files.getFileStore: that one looks the mount up in the sidecar's
        // own mount table, where the process's mounts are not.
        long free = dirThroughRoot.toFile().getUsableSpace();
        if (free < neededBytes) {
            return Optional.of(
                    "disk budget: "
                            + dirThroughRoot
                            + " has "
                            + ByteSize.format(free)
                            + " free, less than the process's RSS of "
                            + ByteSize.format(neededBytes));
        }
        return Optional.empty();
    }

    /** What the volume holds now: dumps waiting to be archived, partial captures, state. */
    private long used() throws IOException {
        try (Stream<Path> files = Files.walk(dumpDir, 4)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (IOException gone) {
                                    return 0; // archived and deleted meanwhile
                                }
                            })
                    .sum();
        }
    }
}
