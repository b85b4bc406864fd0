package dev.dumpflow.sidecar.serve;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of announced dumps: the only way from a dumpId to a file. It persists in the state
 * directory so that a restarted sidecar neither announces a file twice nor forgets one it
 * announced; the state holds the tokens, so it is written owner-only (0600).
 */
public final class AnnouncedDumps {

    private static final System.Logger LOG = System.getLogger(AnnouncedDumps.class.getName());
    private static final String STATE_FILE = "announcements.json";
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // Seeds the generator now rather than when the first dump waits for its token.
        RANDOM.nextBytes(new byte[32]);
    }

    private final AnnouncementsFile stateFile;
    private final Duration tokenTtl;
    private final Clock clock;
    private final Map<String, AnnouncedDump> byId = new LinkedHashMap<>();

    private AnnouncedDumps(Path stateDir, Duration tokenTtl, Clock clock) {
        this.stateFile = new AnnouncementsFile(stateDir.resolve(STATE_FILE));
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    /**
     * Opens the registry, loading what an earlier run announced.
     *
     * @throws UncheckedIOException when the state directory cannot be made or written, or the state
     *     file cannot be read: the sidecar must not start without knowing what it announced
     */
    public static AnnouncedDumps open(Path stateDir, Duration tokenTtl, Clock clock) {
        AnnouncedDumps registry = new AnnouncedDumps(stateDir, tokenTtl, clock);
        Path file = registry.stateFile.path();
        try {
            Files.createDirectories(
                    stateDir,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
            try {
                registry.stateFile.load().forEach(dump -> registry.byId.put(dump.dumpId(), dump));
            } catch (IOException unreadable) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "cannot read the state file {0}: {1}. Not starting: the file lists the"
                                + " dumps already announced and their tokens. Repair it, or move"
                                + " it aside to start afresh; the dumps still on disk are then"
                                + " announced again under new ids.",
                        file,
                        unreadable.getMessage());
                throw new UncheckedIOException(
                        "cannot read the state file " + file + ": " + unreadable.getMessage(),
                        unreadable);
            }
            // Proves the state directory writable at start-up, not at the first dump.
            registry.persist();
        } catch (IOException unwritable) {
            throw new UncheckedIOException("cannot use the state in " + stateDir, unwritable);
        }
        return registry;
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
        return byId.values().stream()
                .anyMatch(
                        d ->
                                d.file().equals(file)
                                        && d.sizeBytes() == sizeBytes
                                        && d.modifiedMillis() == modifiedMillis);
    }

    /**
     * Records a new announcement with a fresh 256-bit token, and persists it before the event
     * leaves, so that a crash never makes the same file announced twice. A file rewritten under the
     * same name replaces its earlier announcement.
     */
    public synchronized AnnouncedDump announce(
            String dumpId,
            Path file,
            long sizeBytes,
            long modifiedMillis,
            Instant closedAt,
            DumpFormat format,
            DumpCause cause,
            Long pid) {
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
        byId.values().removeIf(earlier -> earlier.file().equals(file));
        byId.put(dumpId, dump);
        persist();
        return dump;
    }

    /**
     * Records that the dump is announced again now, with its token extended by the token lifetime,
     * and persists that before the event leaves; empty if the dump was forgotten meanwhile.
     */
    public synchronized Optional<AnnouncedDump> announceAgain(String dumpId) {
        AnnouncedDump earlier = byId.get(dumpId);
        if (earlier == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        AnnouncedDump again = earlier.announcedAgain(now, now.plus(tokenTtl));
        byId.put(dumpId, again);
        persist();
        return Optional.of(again);
    }

    /** Forgets a dump, for example once its file is deleted. */
    public synchronized void remove(String dumpId) {
        if (byId.remove(dumpId) != null) {
            persist();
        }
    }

    /** Forgets announced dumps whose files are gone, for example deleted by hand. */
    public synchronized void forgetMissingFiles() {
        List<String> gone = new ArrayList<>();
        byId.values().stream()
                .filter(d -> !Files.exists(d.file()))
                .forEach(d -> gone.add(d.dumpId()));
        gone.forEach(
                id -> {
                    byId.remove(id);
                    LOG.log(System.Logger.Level.INFO, "dump {0}: file is gone, forgotten", id);
                });
        if (!gone.isEmpty()) {
            persist();
        }
    }

    private void persist() {
        try {
            stateFile.save(List.copyOf(byId.values()));
        } catch (IOException unwritable) {
            throw new UncheckedIOException(
                    "cannot write the state file " + stateFile.path(), unwritable);
        }
    }
}
