package dev.dumpflow.sidecar.metrics;

import dev.dumpflow.events.EventTypes;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sidecar's counters, read at {@code GET /metrics} in the Prometheus text format.
 *
 * <p>One class for all of them rather than one per feature: there are a dozen, each a line or two,
 * and a single instance handed to the features keeps one place that names them and writes the
 * format, with no registration or lookup at run time. Counting is a {@link LongAdder} increment,
 * which allocates nothing; only a scrape builds text.
 */
public final class SidecarMetrics {

    /** How a capture ended. */
    public enum CaptureOutcome {
        /** The runtime wrote the dump and it was moved into the dump directory. */
        CAPTURED,
        /** The runtime or the file system failed; the partial file was removed. */
        FAILED,
        /** Not attempted: limit, cooldown, disk budget, a capture already running, or the mode. */
        SKIPPED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a GET of a dump was answered 503 instead of its bytes. */
    public enum TransferRefusal {
        /** Every transfer the file server grants ({@code DUMPFLOW_MAX_TRANSFERS}) was in use. */
        BUSY,
        /** Every transfer of that one dump ({@code DUMPFLOW_MAX_TRANSFERS_PER_DUMP}) was in use. */
        DUMP_BUSY;

        /** The label value: {@code busy}, {@code dump-busy}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final LongAdder eventsLost = new LongAdder();
    private final LongAdder eventsRejected = new LongAdder();
    private final LongAdder announcements = new LongAdder();
    private final LongAdder bytesServed = new LongAdder();
    private final LongAdder thresholdCrossings = new LongAdder();
    private final LongAdder dumpsDelivered = new LongAdder();
    private final LongAdder thresholdsDelivered = new LongAdder();
    private final LongAdder[] captures = new LongAdder[CaptureOutcome.values().length];
    private final LongAdder transfersActive = new LongAdder();
    private final LongAdder[] transfersRefused = new LongAdder[TransferRefusal.values().length];
    private final LongAdder transfersCutStalled = new LongAdder();
    private final LongAdder filesHeld = new LongAdder();
    private final LongAdder rootsVanished = new LongAdder();
    private final LongAdder announcementsDropped = new LongAdder();
    private final LongAdder rootsRefused = new LongAdder();
    private final LongAdder descriptorsHeld = new LongAdder();
    private final LongAdder earlyHoldsRefused = new LongAdder();
    private final LongAdder dumpHoldsRefused = new LongAdder();

    public SidecarMetrics() {
        for (int i = 0; i < captures.length; i++) {
            captures[i] = new LongAdder();
        }
        for (int i = 0; i < transfersRefused.length; i++) {
            transfersRefused[i] = new LongAdder();
        }
    }

    /** An event found the outbox full or unwritable and was dropped. */
    public void eventLost() {
        eventsLost.increment();
    }

    /** The sink refused an event for good (a 4xx that cannot succeed); it went to rejected/. */
    public void eventRejected() {
        eventsRejected.increment();
    }

    /** The sink took an event (2xx). */
    public void eventDelivered(String type) {
        if (type.equals(EventTypes.DUMP_CLOSED)) {
            dumpsDelivered.increment();
        } else if (type.equals(EventTypes.MEMORY_THRESHOLD_CROSSED)) {
            thresholdsDelivered.increment();
        }
    }

    /** A dump was announced for the first time (re-announcements are not counted). */
    public void dumpAnnounced() {
        announcements.increment();
    }

    /** Bytes of announced dumps written to fetching clients. */
    public void bytesServed(long bytes) {
        bytesServed.add(bytes);
    }

    /** A dump's bytes began to be sent. */
    public void transferStarted() {
        transfersActive.increment();
    }

    /** A transfer ended, complete, failed or cut. */
    public void transferEnded() {
        transfersActive.decrement();
    }

    /** A GET of a dump was answered 503 for this reason. */
    public void transferRefused(TransferRefusal reason) {
        transfersRefused[reason.ordinal()].increment();
    }

    /** A transfer whose client took nothing for the send timeout was cut. */
    public void transferCutStalled() {
        transfersCutStalled.increment();
    }

    /** A watched process crossed one memory threshold. */
    public void thresholdCrossed() {
        thresholdCrossings.increment();
    }

    /** A capture ended, or was not attempted. */
    public void captureEnded(CaptureOutcome outcome) {
        captures[outcome.ordinal()].increment();
    }

    /** An announced dump's file is held open by a descriptor of the sidecar's. */
    public void dumpHeld() {
        filesHeld.increment();
    }

    /** An announced dump's file was let go (deleted, expired or forgotten). */
    public void dumpReleased() {
        filesHeld.decrement();
    }

    /**
     * A dump in a process's file system could not be opened: the process and its root were gone.
     */
    public void dumpRootVanished() {
        rootsVanished.increment();
    }

    /** An announced dump was forgotten at start-up: its file could not be opened again. */
    public void announcementDropped() {
        announcementsDropped.increment();
    }

    /** A watched process's root ({@code /proc/<pid>/root}) may not be entered: no ptrace right. */
    public void processRootRefused() {
        rootsRefused.increment();
    }

    /** A descriptor on a dump file was opened, for whatever stage. */
    public void fileHeld() {
        descriptorsHeld.increment();
    }

    /** A descriptor on a dump file was closed. */
    public void fileReleased() {
        descriptorsHeld.decrement();
    }

    /**
     * Opening a dump file was refused at {@code DUMPFLOW_MAX_HELD_FILES}: {@code early} (a hold at
     * its creation, skipped) or {@code dump} (settling or announcing it, deferred).
     */
    public void fileRefused(String use) {
        (use.equals("early") ? earlyHoldsRefused : dumpHoldsRefused).increment();
    }

    /** Events lost since start. */
    public long eventsLost() {
        return eventsLost.sum();
    }

    /**
     * The Prometheus text exposition (format 0.0.4).
     *
     * @param outboxEvents events waiting in the outbox now
     */
    public String render(int outboxEvents) {
        StringBuilder out = new StringBuilder(3072);
        gauge(
                out,
                "dumpflow_sidecar_outbox_events",
                "Events waiting in the durable outbox.",
                outboxEvents);
        counter(
                out,
                "dumpflow_sidecar_events_lost_total",
                "Events dropped because the outbox was full or unwritable.",
                eventsLost.sum());
        counter(
                out,
                "dumpflow_sidecar_events_rejected_total",
                "Events the sink refused for good, kept in the outbox's rejected/.",
                eventsRejected.sum());
        header(
                out,
                "dumpflow_sidecar_events_delivered_total",
                "counter",
                "Events the sink took, by type.");
        delivered(out, EventTypes.DUMP_CLOSED, dumpsDelivered);
        delivered(out, EventTypes.MEMORY_THRESHOLD_CROSSED, thresholdsDelivered);
        counter(
                out,
                "dumpflow_sidecar_announcements_total",
                "Dumps announced for the first time.",
                announcements.sum());
        header(out, "dumpflow_sidecar_captures_total", "counter", "Heap dump captures by outcome.");
        for (CaptureOutcome outcome : CaptureOutcome.values()) {
            out.append("dumpflow_sidecar_captures_total{outcome=\"")
                    .append(outcome.label())
                    .append("\"} ")
                    .append(captures[outcome.ordinal()].sum())
                    .append('\n');
        }
        counter(
                out,
                "dumpflow_sidecar_bytes_served_total",
                "Bytes of announced dumps served to fetching clients.",
                bytesServed.sum());
        counter(
                out,
                "dumpflow_sidecar_threshold_crossings_total",
                "Memory thresholds crossed by watched processes.",
                thresholdCrossings.sum());
        gauge(
                out,
                "dumpflow_sidecar_transfers_active",
                "Dump bodies being sent now.",
                transfersActive.sum());
        header(
                out,
                "dumpflow_sidecar_transfers_refused_total",
                "counter",
                "GETs of a dump answered 503, by reason.");
        for (TransferRefusal reason : TransferRefusal.values()) {
            labelled(
                    out,
                    "dumpflow_sidecar_transfers_refused_total",
                    "reason",
                    reason.label(),
                    transfersRefused[reason.ordinal()].sum());
        }
        header(
                out,
                "dumpflow_sidecar_transfers_cut_total",
                "counter",
                "Transfers cut by the sidecar, by reason.");
        labelled(
                out,
                "dumpflow_sidecar_transfers_cut_total",
                "reason",
                "stalled",
                transfersCutStalled.sum());
        gauge(
                out,
                "dumpflow_sidecar_dumps_held",
                "Announced dumps whose file the sidecar holds open.",
                filesHeld.sum());
        counter(
                out,
                "dumpflow_sidecar_dumps_unreachable_total",
                "Dumps in a process's file system whose root was gone before they could be opened.",
                rootsVanished.sum());
        counter(
                out,
                "dumpflow_sidecar_announcements_dropped_total",
                "Announced dumps forgotten at start-up because their file could not be opened again.",
                announcementsDropped.sum());
        counter(
                out,
                "dumpflow_sidecar_process_roots_refused_total",
                "Watched processes whose /proc/<pid>/root the sidecar may not enter (same UID or"
                        + " CAP_SYS_PTRACE needed).",
                rootsRefused.sum());
        gauge(
                out,
                "dumpflow_sidecar_files_held",
                "Descriptors the sidecar holds on dump files (held at creation, settling, announced).",
                descriptorsHeld.sum());
        header(
                out,
                "dumpflow_sidecar_files_refused_total",
                "counter",
                "Opens of a dump file refused at DUMPFLOW_MAX_HELD_FILES, by use.");
        labelled(
                out,
                "dumpflow_sidecar_files_refused_total",
                "use",
                "early",
                earlyHoldsRefused.sum());
        labelled(
                out, "dumpflow_sidecar_files_refused_total", "use", "dump", dumpHoldsRefused.sum());
        return out.toString();
    }

    private static void delivered(StringBuilder out, String type, LongAdder count) {
        out.append("dumpflow_sidecar_events_delivered_total{type=\"")
                .append(type)
                .append("\"} ")
                .append(count.sum())
                .append('\n');
    }

    private static void labelled(
            StringBuilder out, String name, String label, String value, long count) {
        out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(value)
                .append("\"} ")
                .append(count)
                .append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
