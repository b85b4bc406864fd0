package dev.dumpflow.sidecar.serve;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of announced dumps: the only way from a dumpId to a file. It persists in the state
 * directory so that a restarted sidecar neither announces a file twice nor forgets one it
 * announced; the state holds the tokens, so it is written owner-only (0600).
 *
 * <p>Each announced dump's file is held open ({@link HeldFile}) until it is deleted or forgotten,
 * and served through that descriptor: a dump inside an application container outlives the path that
 * led to it. The descriptors do not survive a restart; the state keeps paths, and a restarted
 * registry opens each again, or forgets the dump and counts it.
 */
public final class AnnouncedDumps {

    private static final System.Logger LOG = System.getLogger(AnnouncedDumps.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // Seeds the generator now rather than when the first dump waits for its token.
        RANDOM.nextBytes(new byte[32]);
    }

    private final AnnouncementsFile stateFile;
    private final Duration tokenTtl;
    private final Clock clock;
    private final SidecarMetrics metrics;
    private final Map<String, AnnouncedDump> byId = new LinkedHashMap<>();
    private final HeldDumps held;
    private final HeldFiles files;

    /** What became of a deleted dump's file. */
    public enum Deletion {
        /** Its name was removed and the descriptor closed: the storage is freed. */
        UNLINKED,
        /**
         * No path leads to it any more (its process and root are gone): closing the descriptor is
         * all that can be done, and frees the storage unless the dead container's writable layer
         * still names the file (then the runtime frees it with the container).
         */
        RELEASED
    }

    private AnnouncedDumps(
            Path stateDir,
            Duration tokenTtl,
            Clock clock,
            SidecarMetrics metrics,
            HeldFiles files) {
        this.stateFile = AnnouncementsFile.in(stateDir);
        this.tokenTtl = tokenTtl;
        this.clock = clock;
        this.metrics = metrics;
        this.files = files;
        this.held = new HeldDumps(metrics, files);
    }

    /** {@link #open(Path, Duration, Clock, SidecarMetrics)} with metrics nobody reads. */
    public static AnnouncedDumps open(Path stateDir, Duration tokenTtl, Clock clock) {
        return open(stateDir, tokenTtl, clock, new SidecarMetrics());
    }

    /**
     * Opens the registry, loading what an earlier run announced.
     *
     * @throws UncheckedIOException when the state directory cannot be made or written, or the state
     *     file cannot be read: the sidecar must not start without knowing what it announced
     */
    public static AnnouncedDumps open(
            Path stateDir, Duration tokenTtl, Clock clock, SidecarMetrics metrics) {
        return open(
                stateDir, tokenTtl, clock, metrics, new HeldFiles(HeldFiles.DEFAULT_MAX, metrics));
    }

    /**
     * Opens the registry, loading what an earlier run announced, its files held through the given
     * gate, which every other holder of dump files shares ({@link #files()}).
     *
     * @throws UncheckedIOException when the state directory cannot be made or written, or the state
     *     file cannot be read: the sidecar must not start without knowing what it announced
     */
    public static AnnouncedDumps open(
            Path stateDir,
            Duration tokenTtl,
            Clock clock,
            SidecarMetrics metrics,
            HeldFiles files) {
        AnnouncedDumps registry = new AnnouncedDumps(stateDir, tokenTtl, clock, metrics, files);
        registry.stateFile.loadAtStartUp().forEach(dump -> registry.byId.put(dump.dumpId(), dump));
        registry.openAgain();
        // Proves the state directory writable at start-up, not at the first dump.
        registry.persist();
        return registry;
    }

    /** The gate every descriptor on a dump file goes through, this registry's included. */
    public HeldFiles files() {
        return files;
    }

    /** The announced dump with this id, if any. */
    public synchronized Optional<AnnouncedDump> find(String dumpId) {
        return Optional.ofNullable(byId.get(dumpId));
    }

    /** Every announced dump, oldest first. */
    public synchronized List<AnnouncedDump> all() {
        return List.copyOf(byId.values());
    }

    /** Whether this file, as it is now, was already announced. */
    public synchronized boolean isAnnounced(Path file, long sizeBytes, long modifiedMillis) {
        return isAnnounced(file, sizeBytes, modifiedMillis, null);
    }

    /**
     * Whether this file, as it is now, was already announced, under this path or, for a file with
     * the given identity, under another: one directory of an application container is reached
     * through the root of each of its processes.
     */
    public synchronized boolean isAnnounced(
            Path file, long sizeBytes, long modifiedMillis, Object identity) {
        return byId.values().stream()
                .anyMatch(
                        d ->
                                d.sizeBytes() == sizeBytes
                                        && d.modifiedMillis() == modifiedMillis
                                        && (d.file().equals(file)
                                                || held.holdsFile(d.dumpId(), identity)));
    }

    /**
     * Records a new announcement with a fresh 256-bit token, and persists it before the event
     * leaves, so that a crash never makes the same file announced twice. A file rewritten under the
     * same name replaces its earlier announcement.
     *
     * @param opened the file held open, which the registry now owns; null when it could not be
     *     opened
     */
    public synchronized AnnouncedDump announce(
            String dumpId,
            Path file,
            long sizeBytes,
            long modifiedMillis,
            Instant closedAt,
            DumpFormat format,
            DumpCause cause,
            Long pid,
            HeldFile opened) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        AnnouncedDump dump =
                new AnnouncedDump(
                        dumpId,
                        file,
                        sizeBytes,
                        modifiedMillis,
                        closedAt,
                        format,
                        cause,
                        pid,
                        token,
                        clock.instant().plus(tokenTtl),
                        clock.instant(),
                        1);
        byId.values().stream()
                .filter(earlier -> earlier.file().equals(file))
                .map(AnnouncedDump::dumpId)
                .toList()
                .forEach(this::forget);
        byId.put(dumpId, dump);
        if (opened != null) {
            held.hold(dumpId, opened);
        }
        persist();
        return dump;
    }

    /**
     * Records that the dump is announced again now, with its token extended by the token lifetime,
     * and persists that before the event leaves; empty if the dump was forgotten meanwhile, or if
     * its file, let go, cannot be held again now for {@code DUMPFLOW_MAX_HELD_FILES} (it is then
     * due again at the next round, rather than announced with nothing to serve).
     */
    public synchronized Optional<AnnouncedDump> announceAgain(String dumpId) {
        AnnouncedDump earlier = byId.get(dumpId);
        if (earlier == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        AnnouncedDump again = earlier.announcedAgain(now, now.plus(tokenTtl));
        if (held.find(dumpId).isEmpty()) {
            // Let go when its token expired; servable again only if its path still leads to it.
            try {
                held.openAgain(again);
            } catch (HeldFiles.Full full) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: not announced again yet, {1}",
                        dumpId,
                        full.getMessage());
                return Optional.empty();
            }
        }
        byId.put(dumpId, again);
        persist();
        return Optional.of(again);
    }

    /**
     * A new channel on the dump's held file, if the dump is held and its file not deleted meanwhile
     * (then it is forgotten); the caller closes it.
     */
    public Optional<FileChannel> openForReading(String dumpId) throws IOException {
        HeldFile file;
        synchronized (this) {
            file = held.find(dumpId).orElse(null);
            if (file != null && file.unlinked()) {
                remove(dumpId);
                LOG.log(System.Logger.Level.INFO, "dump {0}: file is gone, forgotten", dumpId);
                return Optional.empty();
            }
        }
        return file == null ? Optional.empty() : Optional.of(file.newChannel());
    }

    /** Deletes the dump's file ({@link HeldDumps#delete}) and forgets it. */
    public synchronized Deletion delete(String dumpId) throws IOException {
        AnnouncedDump dump = byId.get(dumpId);
        try {
            return dump == null ? Deletion.RELEASED : held.delete(dump);
        } finally {
            remove(dumpId);
        }
    }

    /** Forgets a dump and lets go of its file, for example once its file is deleted. */
    public synchronized void remove(String dumpId) {
        if (forget(dumpId)) {
            persist();
        }
    }

    /**
     * Forgets announced dumps whose files are gone: deleted or renamed by hand, or replaced. A held
     * file whose process root vanished is not gone: it is served through its descriptor.
     */
    public synchronized void forgetMissingFiles() {
        List<String> gone =
                byId.values().stream().filter(held::isGone).map(AnnouncedDump::dumpId).toList();
        gone.forEach(
                id -> {
                    forget(id);
                    LOG.log(System.Logger.Level.INFO, "dump {0}: file is gone, forgotten", id);
                });
        if (!gone.isEmpty()) {
            persist();
        }
    }

    /**
     * Lets go of the files of dumps whose token has expired: nobody can fetch them any more. A dump
     * no path leads to (its process and root are gone) is forgotten as well, and its storage freed
     * with the descriptor; another stays recorded, so that it is not announced anew, and is opened
     * again if it is announced again.
     */
    public synchronized void releaseExpired() {
        List<String> unreachable = held.releaseExpired(byId.values(), clock.instant());
        unreachable.forEach(byId::remove);
        if (!unreachable.isEmpty()) {
            persist();
        }
    }

    /** Lets go of every held file, forgetting nothing: for a sidecar that stops. */
    public synchronized void close() {
        held.releaseAll();
    }

    /**
     * Opens again, after a restart, the file of every dump loaded from the state; a dump whose file
     * is gone, or is another file now, is forgotten and counted.
     */
    private void openAgain() {
        for (AnnouncedDump dump : List.copyOf(byId.values())) {
            Optional<String> why;
            try {
                why = held.openAgain(dump);
            } catch (HeldFiles.Full full) {
                // Kept, not forgotten: served again once announced again with room to hold it.
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: not held after the restart, {1}",
                        dump.dumpId(),
                        full.getMessage());
                continue;
            }
            if (why.isPresent()) {
                byId.remove(dump.dumpId());
                metrics.announcementDropped();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: {1} cannot be opened again after the restart ({2}); forgotten",
                        dump.dumpId(),
                        dump.file(),
                        why.get());
            }
        }
    }

    private boolean forget(String dumpId) {
        held.release(dumpId);
        return byId.remove(dumpId) != null;
    }

    private void persist() {
        stateFile.saveOrFail(List.copyOf(byId.values()));
    }
}
