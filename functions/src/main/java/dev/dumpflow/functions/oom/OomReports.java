package dev.dumpflow.functions.oom;

import dev.dumpflow.events.ContainerOomKilled;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ThresholdRecord;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.records.ThresholdRecords;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Gathers the evidence about one OOM kill, from what dumpflow stored itself, and judges it: the
 * pod's last dump before the kill ({@link LastDumps}), its last threshold crossing ({@link
 * ThresholdRecords}) and the {@link Verdicts verdict} they give. Evidence older than the pod, or
 * than {@code dumpflow.oom.look-back}, is not looked at. Built at start-up, so that a bad setting
 * stops it.
 */
@Startup
@ApplicationScoped
class OomReports {

    private final LastDumps dumps;
    private final ThresholdRecords crossings;
    private final Verdicts verdicts;
    private final Duration lookBack;

    OomReports(LastDumps dumps, ThresholdRecords crossings, OomConfig config) {
        this.dumps = dumps;
        this.crossings = crossings;
        this.verdicts = new Verdicts(config.heapShare());
        this.lookBack = config.lookBack();
        if (lookBack.isNegative() || lookBack.isZero()) {
            throw new IllegalArgumentException(
                    "dumpflow.oom.look-back must be more than 0, was " + lookBack);
        }
    }

    /**
     * The report of a kill.
     *
     * @param pod the pod as the API shows it, with the killed container
     * @param limitBytes the container's memory limit, or null
     * @param podCreated when the pod was created, or null when the API does not say
     * @throws FunctionFailure unavailable when S3 cannot answer
     */
    ContainerOomKilled report(
            PodIdentity pod, KilledContainers.Kill kill, Long limitBytes, Instant podCreated) {
        Instant killedAt = kill.finishedAt();
        Instant from = killedAt.minus(lookBack);
        if (podCreated != null && podCreated.isAfter(from) && !podCreated.isAfter(killedAt)) {
            from = podCreated;
        }
        Optional<IndexRecord> dump = dumps.before(pod, from, killedAt);
        Optional<ThresholdRecord> crossing =
                crossings.last(
                        pod.namespace(), pod.name(), pod.uid(), pod.container(), from, killedAt);
        return new ContainerOomKilled(
                pod,
                kill.container(),
                limitBytes,
                kill.exitCode(),
                killedAt,
                dump.map(
                                d ->
                                        new ContainerOomKilled.LastDump(
                                                d.dumpId(),
                                                d.cause(),
                                                d.closedAt(),
                                                Duration.between(d.closedAt(), killedAt)
                                                        .toSeconds()))
                        .orElse(null),
                crossing.map(
                                c ->
                                        new ContainerOomKilled.LastThreshold(
                                                c.crossed().rssBytes(),
                                                c.crossed().thresholdBytes(),
                                                c.at()))
                        .orElse(null),
                verdicts.judge(limitBytes, dump.orElse(null), killedAt, crossing.orElse(null)));
    }
}
