package dev.dumpflow.functions.growth;

import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.Growth;
import dev.dumpflow.events.IndexRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Says what grew in a dump's workload since its previous dump: finds the newest earlier dumps with
 * a full histogram within {@code dumpflow.growth.look-back} ({@link EarlierDumps}), reads their
 * histograms and this dump's ({@link ClassHistograms}), and subtracts them ({@link
 * HistogramDelta}). The dump before the previous one, when there is one, decides which classes grew
 * at every step. Created at start-up, so that a setting out of range stops it there.
 */
@Startup
@ApplicationScoped
public class GrowthFinder {

    private static final Logger LOG = Logger.getLogger(GrowthFinder.class);

    /** How a look-up ended, the {@code outcome} label of {@code dumpflow_growth_total}. */
    enum Outcome {
        /** An earlier dump was found and compared. */
        COMPARED("compared"),
        /** No earlier dump of the workload with a histogram within the look-back. */
        FIRST("first"),
        /** This dump has no histogram: not HPROF, or its analysis was off, failed or cut off. */
        NO_HISTOGRAM("no-histogram");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /** A dump that growth compares with, and its histogram. */
    private record Compared(IndexRecord record, ClassHistogram histogram) {}

    private final EarlierDumps earlier;
    private final ClassHistograms histograms;
    private final MeterRegistry registry;
    private final Duration lookBack;
    private final int topClasses;

    GrowthFinder(
            EarlierDumps earlier,
            ClassHistograms histograms,
            MeterRegistry registry,
            GrowthConfig config) {
        this.earlier = earlier;
        this.histograms = histograms;
        this.registry = registry;
        this.lookBack = config.lookBack();
        this.topClasses = config.topClasses();
        if (lookBack.isNegative() || lookBack.isZero()) {
            throw new IllegalArgumentException(
                    "dumpflow.growth.look-back must be more than zero, was " + lookBack);
        }
        if (topClasses < 1) {
            throw new IllegalArgumentException(
                    "dumpflow.growth.top-classes must be at least 1, was " + topClasses);
        }
    }

    /**
     * What grew since the workload's previous dump; empty for its first dump within the look-back,
     * or when this dump has no histogram.
     *
     * @throws dev.dumpflow.functions.FunctionFailure unavailable when S3 cannot answer
     */
    public Optional<Growth> since(IndexRecord current) {
        String context = "dumpId=" + current.dumpId();
        Optional<ClassHistogram> now =
                current.analysis() == null || current.analysis().truncated()
                        ? Optional.empty()
                        : histograms.read(current.dumpId(), current.sha256());
        if (now.isEmpty()) {
            count(Outcome.NO_HISTOGRAM);
            return Optional.empty();
        }
        List<Compared> compared =
                earlier.newestFirst(current, lookBack)
                        .flatMap(
                                r ->
                                        histograms.read(r.dumpId(), r.sha256()).stream()
                                                .map(h -> new Compared(r, h)))
                        .limit(2)
                        .toList();
        if (compared.isEmpty()) {
            LOG.infof(
                    "%s: no earlier dump of its workload within %s to compare", context, lookBack);
            count(Outcome.FIRST);
            return Optional.empty();
        }
        Compared previous = compared.getFirst();
        Growth growth =
                new Growth(
                        previous.record().dumpId(),
                        previous.record().closedAt(),
                        Duration.between(previous.record().closedAt(), current.closedAt()),
                        HistogramDelta.grown(
                                now.get(),
                                previous.histogram(),
                                compared.size() > 1 ? compared.get(1).histogram() : null,
                                topClasses));
        LOG.infof(
                "%s: compared with dumpId=%s of %s earlier, %d classes grew",
                context, previous.record().dumpId(), growth.interval(), growth.classes().size());
        count(Outcome.COMPARED);
        return Optional.of(growth);
    }

    private void count(Outcome outcome) {
        Counter.builder("dumpflow.growth")
                .description(
                        "Index records by whether growth since an earlier dump of the workload was"
                                + " computed.")
                .tag("outcome", outcome.label)
                .register(registry)
                .increment();
    }
}
