package dev.dumpflow.functions.oom;

import dev.dumpflow.events.ContainerOomKilled.Verdict;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.ThresholdRecord;
import dev.dumpflow.functions.HumanBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges an OOM kill from the evidence: the last dump's heap total against the container's limit. A
 * heap of at least {@code dumpflow.oom.heap-share} of the limit filled the container ({@code
 * heap}); a smaller one leaves the rest to memory outside the heap ({@code non-heap}); without a
 * dump that was analysed, nothing tells ({@code unknown}), and the explanation says which sidecar
 * setting would have taken one.
 */
final class Verdicts {

    private static final long MIB = 1024 * 1024;

    /** A dump older than this before the kill may show a heap that grew since. */
    private static final Duration STALE = Duration.ofMinutes(10);

    private final double heapShare;

    /**
     * @throws IllegalArgumentException naming {@code dumpflow.oom.heap-share} when it is not more
     *     than 0 and at most 1
     */
    Verdicts(double heapShare) {
        if (!(heapShare > 0 && heapShare <= 1)) {
            throw new IllegalArgumentException(
                    "dumpflow.oom.heap-share must be more than 0 and at most 1, was " + heapShare);
        }
        this.heapShare = heapShare;
    }

    /**
     * The verdict on a kill.
     *
     * @param limitBytes the container's memory limit, or null when it has none
     * @param dump the last dump's index record before the kill, or null
     * @param crossing the last threshold crossing before the kill, or null
     */
    Verdict judge(Long limitBytes, IndexRecord dump, Instant killedAt, ThresholdRecord crossing) {
        if (dump == null) {
            return unknown(null, limitBytes, noDump(limitBytes, crossing, killedAt));
        }
        String which =
                "The last dump, %s, closed %s before the kill,"
                        .formatted(dump.dumpId(), age(dump.closedAt(), killedAt));
        HeapSummary analysis = dump.analysis();
        if (analysis == null) {
            return unknown(
                    null,
                    limitBytes,
                    which
                            + " has no heap analysis (format %s): dumpflow analyses HPROF dumps"
                                    .formatted(dump.format().wire())
                            + " only, while dumpflow.analysis.enabled is on. Open the dump itself"
                            + " to see what filled the memory.");
        }
        long heap = analysis.totalBytes();
        if (limitBytes == null || limitBytes == 0) {
            return unknown(
                    heap,
                    limitBytes,
                    which
                            + " held %s of Java heap objects, but the container has no memory limit to"
                                    .formatted(HumanBytes.format(heap))
                            + " weigh them against: the kill came from the node running short of"
                            + " memory.");
        }
        String figures =
                "%s of Java heap objects: %s of the %s limit"
                        .formatted(
                                HumanBytes.format(heap),
                                percent(heap, limitBytes),
                                HumanBytes.format(limitBytes));
        String stale =
                Duration.between(dump.closedAt(), killedAt).compareTo(STALE) > 0
                        ? " The dump is %s older than the kill: the heap may have grown since."
                                .formatted(age(dump.closedAt(), killedAt))
                        : "";
        if (heap >= heapShare * limitBytes) {
            return new Verdict(
                    Verdict.Kind.HEAP,
                    heap,
                    limitBytes,
                    which
                            + " held "
                            + figures
                            + ", at least the %s that dumpflow.oom.heap-share takes for a full heap."
                                    .formatted(percent(heapShare))
                            + " The Java heap filled the container"
                            + largestClass(analysis)
                            + ". Look at what grew in that dump, and keep -Xmx (or"
                            + " -XX:MaxRAMPercentage) low enough to leave the JVM's own memory room"
                            + " under the limit."
                            + stale);
        }
        if (analysis.truncated()) {
            return unknown(
                    heap,
                    limitBytes,
                    which
                            + " held at least "
                            + figures
                            + ", but its analysis is partial (%s), so the heap may have been larger."
                                    .formatted(analysis.truncationReason()));
        }
        return new Verdict(
                Verdict.Kind.NON_HEAP,
                heap,
                limitBytes,
                which
                        + " held only "
                        + figures
                        + ", below the %s of dumpflow.oom.heap-share.".formatted(percent(heapShare))
                        + " The other %s of the limit went to memory outside the Java heap."
                                .formatted(HumanBytes.format(limitBytes - heap))
                        + " Look at direct buffers (NIO, Netty; -XX:MaxDirectMemorySize), metaspace"
                        + " (class loading; -XX:MaxMetaspaceSize), threads (a stack of up to -Xss"
                        + " each) and native memory (JNI libraries, malloc arenas, the GC's own"
                        + " structures): start the JVM with -XX:NativeMemoryTracking=summary and"
                        + " compare jcmd <pid> VM.native_memory summary with the limit."
                        + stale);
    }

    private static Verdict unknown(Long heap, Long limit, String explanation) {
        return new Verdict(Verdict.Kind.UNKNOWN, heap, limit, explanation);
    }

    /** Why no dump tells, and which setting would have taken one. */
    private static String noDump(Long limitBytes, ThresholdRecord crossing, Instant killedAt) {
        String none = "No dump of this container was stored before the kill.";
        if (crossing != null) {
            MemoryThresholdCrossed crossed = crossing.crossed();
            String when =
                    " Its memory crossed %s (rule %s) %s before the kill"
                            .formatted(
                                    HumanBytes.format(crossed.thresholdBytes()),
                                    crossed.rule(),
                                    age(crossing.at(), killedAt));
            if (crossed.captureSkipped() != null) {
                return none
                        + when
                        + ", but the sidecar skipped the capture: "
                        + crossed.captureSkipped()
                        + ".";
            }
            return none
                    + when
                    + ", yet no dump followed: set DUMPFLOW_CAPTURE=jvm (or auto) on the sidecar so"
                    + " that a crossing takes one. A dump still on its way to the bucket is not"
                    + " counted either.";
        }
        if (limitBytes == null || limitBytes == 0) {
            return none
                    + " No memory threshold was crossed, and the container has no memory limit: the"
                    + " kill came from the node running short of memory. A ladder such as"
                    + " DUMPFLOW_THRESHOLDS=1Gi,x2 with DUMPFLOW_CAPTURE=jvm takes dumps as memory"
                    + " grows.";
        }
        long start = ladderStart(limitBytes);
        return none
                + " No memory threshold was crossed either: the sidecar's thresholds lay above what"
                + " the container reached, or memory rose faster than DUMPFLOW_POLL_INTERVAL could"
                + " see. With the %s limit, DUMPFLOW_THRESHOLDS=80%%,95%% (percentages of"
                        .formatted(HumanBytes.format(limitBytes))
                + " DUMPFLOW_MEMORY_LIMIT_BYTES) fires at %s and %s; the ladder"
                        .formatted(
                                HumanBytes.format(Math.round(limitBytes * 0.80)),
                                HumanBytes.format(Math.round(limitBytes * 0.95)))
                + " DUMPFLOW_THRESHOLDS=%dMi,x2 fires at %s. Either would have caught it, with"
                        .formatted(start / MIB, steps(start, limitBytes))
                + " DUMPFLOW_CAPTURE=jvm to take the dump.";
    }

    /** The largest power of two MiB at most half the limit: a ladder that fits under it. */
    static long ladderStart(long limitBytes) {
        long half = Math.max(1, limitBytes / 2 / MIB);
        return Long.highestOneBit(half) * MIB;
    }

    /** The ladder's steps below the limit, as people read them. */
    private static String steps(long start, long limitBytes) {
        List<String> steps = new ArrayList<>();
        for (long step = start; step < limitBytes && steps.size() < 4; step *= 2) {
            steps.add(HumanBytes.format(step));
        }
        return String.join(", ", steps);
    }

    private static String largestClass(HeapSummary analysis) {
        if (analysis.topClasses().isEmpty()) {
            return "";
        }
        HeapSummary.ClassStat top = analysis.topClasses().getFirst();
        return String.format(
                Locale.ROOT,
                "; its largest class was %s (%s in %,d instances)",
                top.className(),
                HumanBytes.format(top.bytes()),
                top.instances());
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * share);
    }

    /** How long before {@code killedAt} something happened, as people say it. */
    static String age(Instant at, Instant killedAt) {
        long seconds = Math.max(0, Duration.between(at, killedAt).toSeconds());
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + " h " + minutes % 60 + " min";
        }
        return hours / 24 + " d " + hours % 24 + " h";
    }
}
