package dev.dumpflow.sidecar.serve;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptors of the announced dumps, by dumpId: what {@link AnnouncedDumps} serves and deletes
 * through, and what tells a file gone from a file whose path died with its process. Not
 * thread-safe: the registry's lock guards it.
 */
final class HeldDumps {

    private static final System.Logger LOG = System.getLogger(HeldDumps.class.getName());

    private final SidecarMetrics metrics;
    private final HeldFiles files;
    private final Map<String, HeldFile> byId = new HashMap<>();

    HeldDumps(SidecarMetrics metrics, HeldFiles files) {
        this.metrics = metrics;
        this.files = files;
    }

    /** Holds the dump's file, letting go of one held before under the same id. */
    void hold(String dumpId, HeldFile file) {
        HeldFile earlier = byId.put(dumpId, file);
        metrics.dumpHeld();
        if (earlier != null) {
            earlier.close();
            metrics.dumpReleased();
        }
    }

    /** Lets go of the dump's file, if held. */
    void release(String dumpId) {
        HeldFile file = byId.remove(dumpId);
        if (file != null) {
            file.close();
            metrics.dumpReleased();
        }
    }

    /** Lets go of every file. */
    void releaseAll() {
        List.copyOf(byId.keySet()).forEach(this::release);
    }

    /** The dump's held file, if any. */
    Optional<HeldFile> find(String dumpId) {
        return Optional.ofNullable(byId.get(dumpId));
    }

    /** Whether the dump's held file is the file of that identity. */
    boolean holdsFile(String dumpId, Object identity) {
        HeldFile file = byId.get(dumpId);
        return identity != null && file != null && identity.equals(file.identity());
    }

    /**
     * Whether the dump's file is gone: deleted (no link left), renamed or replaced. A held file
     * whose process root vanished is not gone: it is served through its descriptor.
     */
    boolean isGone(AnnouncedDump dump) {
        HeldFile file = byId.get(dump.dumpId());
        if (file == null) {
            return !Files.exists(dump.file(), LinkOption.NOFOLLOW_LINKS);
        }
        try {
            if (file.unlinked()) {
                return true;
            }
        } catch (IOException unreadable) {
            return true;
        }
        return !file.pathLeadsHere() && !ProcessRootPath.rootVanished(file.path());
    }

    /**
     * Deletes the dump's file and lets go of it. The name is removed only while its path still
     * leads to the very file held (a path through a live process's root, or a dump directory); once
     * the process and its mount namespace are gone no path is left to unlink (the descriptor's
     * {@code /proc/self/fd} link is no name in any file system), so closing the descriptor is the
     * delete.
     */
    AnnouncedDumps.Deletion delete(AnnouncedDump dump) throws IOException {
        HeldFile file = byId.get(dump.dumpId());
        try {
            if (file == null) {
                Files.deleteIfExists(dump.file());
                return AnnouncedDumps.Deletion.UNLINKED;
            }
            if (file.pathLeadsHere()) {
                Files.deleteIfExists(file.path());
                return AnnouncedDumps.Deletion.UNLINKED;
            }
            Optional<java.nio.file.Path> other =
                    ProcessRootPath.throughAnotherRoot(file.path(), file.identity());
            if (other.isPresent()) {
                Files.deleteIfExists(other.get());
                return AnnouncedDumps.Deletion.UNLINKED;
            }
            return AnnouncedDumps.Deletion.RELEASED;
        } finally {
            release(dump.dumpId());
        }
    }

    /**
     * Lets go of the files of the dumps whose token expired at {@code now}; returns the ids of
     * those no path leads to any more, which nothing can reach again.
     */
    List<String> releaseExpired(Collection<AnnouncedDump> dumps, Instant now) {
        List<String> unreachable = new ArrayList<>();
        for (AnnouncedDump dump : dumps) {
            HeldFile file = byId.get(dump.dumpId());
            if (file == null || !dump.expiredAt(now)) {
                continue;
            }
            boolean reachable = file.pathLeadsHere();
            release(dump.dumpId());
            if (!reachable) {
                unreachable.add(dump.dumpId());
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "dump {0}: its token expired at {1} before archive deleted it; {2} let go{3}",
                    dump.dumpId(),
                    dump.expiresAt(),
                    dump.fileName(),
                    reachable ? "" : " and forgotten, as no path leads to it any more");
        }
        return unreachable;
    }

    /**
     * Opens the dump's file again by its path, after a restart, if it is still the file announced
     * (same size and time); otherwise says why not.
     *
     * @throws HeldFiles.Full when {@code DUMPFLOW_MAX_HELD_FILES} leaves no room now
     */
    Optional<String> openAgain(AnnouncedDump dump) throws HeldFiles.Full {
        try {
            HeldFile file = files.open(dump.file(), HeldFiles.Use.DUMP);
            BasicFileAttributes now = file.attributes();
            if (now.size() == dump.sizeBytes()
                    && now.lastModifiedTime().toMillis() == dump.modifiedMillis()) {
                hold(dump.dumpId(), file);
                return Optional.empty();
            }
            file.close();
            return Optional.of("it is another file now");
        } catch (IOException unopenable) {
            return Optional.of(
                    ProcessRootPath.rootVanished(dump.file())
                            ? "its process and root are gone"
                            : unopenable.toString());
        }
    }
}
