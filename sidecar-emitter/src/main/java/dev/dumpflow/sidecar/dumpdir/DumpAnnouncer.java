package dev.dumpflow.sidecar.dumpdir;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.emit.EventSink;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDump;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
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

    /** Announces the file, unless it was announced as it is now. */
    void announce(Path file, FileState state) {
        if (registry.isAnnounced(file, state.sizeBytes(), state.modifiedMillis())) {
            return;
        }
        String name = file.getFileName().toString();
        DumpFormat format;
        try {
            format = FormatSniffer.of(file);
        } catch (IOException unreadable) {
            LOG.log(ERROR, "cannot read " + file + "; not announced", unreadable);
            return;
        }
        DumpCause cause = DumpNaming.causeOf(name);
        OptionalLong pid = DumpNaming.pidOf(name);
        Instant closedAt = Instant.ofEpochMilli(state.modifiedMillis());
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
                        pid.isPresent() ? pid.getAsLong() : null);
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

    private void emit(AnnouncedDump dump) {
        DumpClosed event =
                new DumpClosed(
                        dump.dumpId(),
                        dump.fileName(),
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
