package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.TimeWindow;
import dev.dumpflow.sidecar.emit.EventSink;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDump;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import dev.dumpflow.sidecar.serve.HeldFile;
import dev.dumpflow.sidecar.serve.HeldFiles;
import dev.dumpflow.sidecar.serve.ProcessRootPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Announces a finished dump file: gives it a dumpId and a fetch token, records it in the registry
 * of servable dumps, and emits {@link EventTypes#DUMP_CLOSED}.
 */
final class DumpAnnouncer {

    private static final System.Logger LOG = System.getLogger(DumpAnnouncer.class.getName());

    private final AnnouncedDumps registry;
    private final EventSink sink;
    private final PodIdentity pod;
    private final String fetchBase;
    private final Clock clock;
    private final SidecarMetrics metrics;

    /**
     * @param fetchBase {@code http://{host}:{port}/dumps/}, to which the dumpId is appended
     */
    DumpAnnouncer(
            AnnouncedDumps registry,
            EventSink sink,
            PodIdentity pod,
            String fetchBase,
            Clock clock,
            SidecarMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.sink = sink;
        this.pod = pod;
        this.fetchBase = fetchBase;
        this.clock = clock;
    }

    /** Announces the file, opening it now, unless it was announced as it is now. */
    void announce(Path file, FileState state) {
        HeldFile held;
        try {
            held = registry.files().open(file, HeldFiles.Use.DUMP);
        } catch (IOException unreadable) {
            LOG.log(ERROR, "cannot open " + file + "; not announced", unreadable);
            return;
        } catch (HeldFiles.Full full) {
            LOG.log(WARNING, "{0}; not announced", full.getMessage());
            return;
        }
        announce(file, state, held);
    }

    /**
     * Announces the held file, unless it was announced as it is now; the registry keeps it open
     * from then on, and it is closed here when it is not announced.
     */
    void announce(Path file, FileState state, HeldFile held) {
        boolean kept = false;
        try {
            kept = announceHeld(file, state, held);
        } finally {
            if (!kept) {
                held.close();
            }
        }
    }

    /**
     * A file that was gone before it could be opened: when it was inside a process's root that is
     * gone too, the process took the only path to it along, which is logged and counted.
     */
    void unreachable(Path file) {
        if (ProcessRootPath.rootVanished(file)) {
            metrics.dumpRootVanished();
            LOG.log(
                    WARNING,
                    "{0} was found, but its process and root were gone before it could be opened;"
                            + " not announced",
                    file);
        }
    }

    private boolean announceHeld(Path file, FileState state, HeldFile held) {
        if (registry.isAnnounced(
                file, state.sizeBytes(), state.modifiedMillis(), state.identity())) {
            return false;
        }
        String name = file.getFileName().toString();
        DumpFormat format;
        try {
            format = FormatSniffer.of(held.viaDescriptor(), name);
        } catch (IOException unreadable) {
            LOG.log(ERROR, "cannot read " + file + "; not announced", unreadable);
            return false;
        }
        if (format == DumpFormat.UNKNOWN && ProcessRootPath.pidOf(file).isPresent()) {
            // A process's own /tmp or working directory holds much else: only dumps are announced.
            LOG.log(DEBUG, "{0} is no dump format dumpflow knows; not announced", file);
            return false;
        }
        DumpCause cause = DumpNaming.causeOf(name);
        OptionalLong pid = DumpNaming.pidOf(name);
        Instant closedAt = closedAt(file, state);
        String dumpId = DumpIds.next(clock.instant());
        AnnouncedDump dump =
                registry.announce(
                        dumpId,
                        file,
                        state.sizeBytes(),
                        state.modifiedMillis(),
                        closedAt,
                        format,
                        cause,
                        pid.isPresent() ? pid.getAsLong() : null,
                        held);
        LOG.log(
                INFO,
                "dump {0}: announcing {1} ({2,number,#} bytes, {3}, cause {4})",
                dumpId,
                file,
                state.sizeBytes(),
                format.wire(),
                cause.wire());
        metrics.dumpAnnounced();
        emit(dump);
        return true;
    }

    /**
     * Announces a dump once more, with its id and token, as archive has not deleted it within the
     * given wait.
     */
    void announceAgain(AnnouncedDump dump, Duration waited) {
        // Not "announcing": log readers count that word as a dump's first announcement.
        LOG.log(
                WARNING,
                "dump {0}: not archived within {1}; {2} announced again (announcement"
                        + " {3,number,#})",
                dump.dumpId(),
                waited,
                dump.file(),
                dump.announcements());
        emit(dump);
    }

    /**
     * The file's mtime, or now when the mtime lies outside what the events take ({@link
     * TimeWindow}): a file touched to 1960 or to the year 30000 is still a dump worth saving.
     */
    private Instant closedAt(Path file, FileState state) {
        Instant modified = Instant.ofEpochMilli(state.modifiedMillis());
        if (TimeWindow.contains(modified)) {
            return modified;
        }
        Instant now = clock.instant();
        LOG.log(
                WARNING,
                "{0}: modified at {1}, which no event can carry; dated {2}",
                file,
                modified,
                now);
        return now;
    }

    /**
     * The file's name as the event carries it: the events refuse control characters in a name, and
     * the file is fetched by its dumpId, so they are shown as {@code ?}.
     */
    static String shownName(String fileName) {
        StringBuilder shown = new StringBuilder(fileName.length());
        fileName.codePoints()
                .forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return shown.toString();
    }

    private void emit(AnnouncedDump dump) {
        DumpClosed event =
                new DumpClosed(
                        dump.dumpId(),
                        shownName(dump.fileName()),
                        dump.sizeBytes(),
                        dump.closedAt(),
                        dump.format(),
                        dump.cause(),
                        dump.pid(),
                        new FetchLocation(
                                URI.create(fetchBase + dump.dumpId()),
                                dump.token(),
                                dump.expiresAt()),
                        pod);
        sink.emit(EventTypes.DUMP_CLOSED, dump.dumpId(), dump.dumpId(), event);
    }
}
