package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.AnalysisCap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The archive's numbers at {@code /q/metrics}: how archives end, how many bytes came in and went
 * out, how long they took, why an analysis stopped early, and how many transfers were cut for their
 * pace.
 */
@ApplicationScoped
public class ArchiveMetrics {

    /** How one archive request ended, the {@code outcome} label. */
    enum Outcome {
        /** Uploaded and verified by this request. */
        STORED,
        /** Stored by an earlier or a concurrent delivery; nothing uploaded twice. */
        ALREADY_STORED,
        /** Another dump of this dumpId is stored; answered {@code dump.failed} (conflict). */
        CONFLICT,
        /**
         * The redaction policy cannot be applied (not HPROF, or unparseable): nothing stored,
         * answered {@code dump.failed} (unredactable).
         */
        UNREDACTABLE,
        /** Refused for good (4xx): a disproved claim, a host not allowed, bad input. */
        REFUSED,
        /** Failed for now (5xx): the Broker retries it. */
        FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final MeterRegistry registry;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Map<TransferPace.Cut, Counter> cuts = new EnumMap<>(TransferPace.Cut.class);

    ArchiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesIn = bytes("in", "Raw dump bytes read from sidecars in completed transfers.");
        this.bytesOut = bytes("out", "Compressed bytes uploaded in completed transfers.");
        // Both reasons from the start: a dashboard sees 0, not a missing series.
        for (TransferPace.Cut cut : TransferPace.Cut.values()) {
            cuts.put(
                    cut,
                    Counter.builder("dumpflow.archive.transfers.cut")
                            .description(
                                    "Transfers from sidecars cut to free their archive slot:"
                                            + " below dumpflow.fetch.min-rate (slow), or longer"
                                            + " than their size allows (too-long).")
                            .tag("reason", cut.label())
                            .register(registry));
        }
    }

    /** Counts one archive request and records its duration. */
    void archived(Outcome outcome, Duration took) {
        Counter.builder("dumpflow.archives")
                .description("Archive requests by outcome.")
                .tag("outcome", outcome.label())
                .register(registry)
                .increment();
        Timer.builder("dumpflow.archive.duration")
                .description("Time from a dump.closed to its answer, by outcome.")
                .tag("outcome", outcome.label())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(took);
    }

    /** A transfer completed: {@code raw} bytes read from the sidecar, {@code stored} uploaded. */
    void transferred(long raw, long stored) {
        bytesIn.increment(raw);
        bytesOut.increment(stored);
    }

    /** A transfer was cut for its pace; the event is answered 503 and delivered again. */
    void transferCut(TransferPace.Cut cut) {
        cuts.get(cut).increment();
    }

    /** The same-pass analysis stopped early; {@code reason} is the summary's free text. */
    void analysisTruncated(String reason) {
        Counter.builder("dumpflow.analysis.truncated")
                .description("Heap analyses whose figures are partial, by what ended the parse.")
                .tag("reason", truncationKind(reason))
                .register(registry)
                .increment();
    }

    /**
     * A bounded label from the parser's message, which names byte offsets and so cannot be a label
     * itself: the cap of the memory budget that stopped it ({@code strings-cap}, {@code ids-cap},
     * {@code classes-cap}), or what was wrong with the dump.
     */
    static String truncationKind(String reason) {
        if (reason == null) {
            return "unknown";
        }
        var cap = AnalysisCap.named(reason);
        if (cap.isPresent()) {
            return cap.get().label();
        }
        if (reason.contains("gzip")) {
            return "gzip-corrupt";
        }
        if (reason.contains("ends at byte") || reason.contains("ended")) {
            return "cut-off";
        }
        if (reason.contains("no heap dump")) {
            return "no-heap-dump";
        }
        return "corrupt";
    }

    private Counter bytes(String direction, String description) {
        return Counter.builder("dumpflow.archive.bytes")
                .description(description)
                .tag("direction", direction)
                .register(registry);
    }
}
