package dev.dumpflow.sidecar.memory;

import com.sun.net.httpserver.HttpHandler;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.capture.CaptureDecision;
import dev.dumpflow.sidecar.capture.CaptureRequestHandler;
import dev.dumpflow.sidecar.capture.CaptureService;
import dev.dumpflow.sidecar.emit.EventSink;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The memory and capture feature's entry point: polls the processes of the pod, emits {@code
 * dev.dumpflow.memory.threshold.crossed} for every threshold crossed, and captures a dump when the
 * capture mode covers the process.
 *
 * <p>One platform thread polls at the configured interval and sleeps in between, so an idle pod
 * costs a directory listing and two small reads per process per poll.
 */
public final class MemoryWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MemoryWatch.class.getName());

    private final MemoryConfig config;
    private final PodIdentity pod;
    private final EventSink sink;
    private final ProcessScanner scanner;
    private final CaptureService captures;
    private final CaptureRequestHandler requests;
    private final Map<Long, Tracked> tracked = new HashMap<>();
    private ScheduledExecutorService poller;
    private final SidecarMetrics metrics;
    private final ProcessListener listener;

    private record Tracked(WatchedProcess process, ThresholdTracker thresholds) {}

    /**
     * @param config the memory settings
     * @param scanner where processes come from
     * @param captures how captures are taken
     * @param captureConfig the capture settings (for the admin token)
     * @param pod the pod, for the events
     * @param sink where events go
     * @param metrics counts threshold crossings
     * @param listener told the watched processes after each poll
     */
    public MemoryWatch(
            MemoryConfig config,
            ProcessScanner scanner,
            CaptureService captures,
            CaptureConfig captureConfig,
            PodIdentity pod,
            EventSink sink,
            SidecarMetrics metrics,
            ProcessListener listener) {
        this.config = config;
        this.listener = listener;
        this.metrics = metrics;
        this.scanner = scanner;
        this.captures = captures;
        this.pod = pod;
        this.sink = sink;
        this.requests = new CaptureRequestHandler(scanner, captures, captureConfig.adminToken());
    }

    /** The watch over the real {@code /proc}, with the real dumpers, telling nobody. */
    public static MemoryWatch create(
            MemoryConfig config,
            CaptureConfig captureConfig,
            PodIdentity pod,
            EventSink sink,
            SidecarMetrics metrics) {
        return create(config, captureConfig, pod, sink, metrics, ProcessListener.NONE);
    }

    /** The watch over the real {@code /proc}, with the real dumpers. */
    public static MemoryWatch create(
            MemoryConfig config,
            CaptureConfig captureConfig,
            PodIdentity pod,
            EventSink sink,
            SidecarMetrics metrics,
            ProcessListener listener) {
        ProcFiles proc = ProcFiles.system();
        return new MemoryWatch(
                config,
                new ProcessScanner(proc, config.processMatch(), ProcessHandle.current().pid()),
                CaptureService.create(captureConfig, proc, metrics),
                captureConfig,
                pod,
                sink,
                metrics,
                listener);
    }

    /** Starts polling. */
    public synchronized void start() {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("dumpflow-memory").daemon().factory());
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, 0, every, TimeUnit.MILLISECONDS);
        LOG.log(
                Level.INFO,
                "watching memory every {0} ms, thresholds {1}",
                every,
                config.thresholds());
    }

    /** The handler of {@code POST /captures}, for the file server. */
    public HttpHandler captureHandler() {
        return requests;
    }

    /** One poll: read every process's memory, emit and capture for each crossing. */
    void poll() {
        List<ProcessSample> samples = scanner.scan();
        Set<Long> alive = new HashSet<>();
        for (ProcessSample sample : samples) {
            WatchedProcess p = sample.process();
            alive.add(p.pid());
            Tracked t = tracked.get(p.pid());
            if (t == null || !t.process().sameIncarnation(p.pid(), p.startTicks())) {
                // A new pid, or a recycled one with a new start time: a new process.
                t = new Tracked(p, new ThresholdTracker(config.thresholds()));
                tracked.put(p.pid(), t);
            }
            List<Threshold> crossed = t.thresholds().observe(sample.rssBytes());
            if (!crossed.isEmpty()) {
                announce(sample, t.thresholds(), crossed);
            }
        }
        tracked.keySet().retainAll(alive);
        listener.seen(samples.stream().map(ProcessSample::process).toList());
    }

    private void announce(ProcessSample sample, ThresholdTracker tracker, List<Threshold> crossed) {
        WatchedProcess p = sample.process();
        for (Threshold t : crossed) {
            metrics.thresholdCrossed();
            LOG.log(
                    Level.INFO,
                    "pid {0} ({1}) crossed {2} (rule {3}) at RSS {4}",
                    Long.toString(p.pid()),
                    p.runtime().wire(),
                    ByteSize.format(t.bytes()),
                    t.rule(),
                    ByteSize.format(sample.rssBytes()));
        }
        // One capture per poll, for the highest threshold: the lower ones would show less.
        CaptureDecision decision = captures.onThreshold(sample);
        Threshold highest = crossed.getLast();
        for (Threshold t : crossed) {
            String skipped =
                    switch (decision) {
                        case CaptureDecision.Skipped s -> s.reason();
                        case CaptureDecision.Started s when t != highest ->
                                "superseded: "
                                        + highest.rule()
                                        + " at "
                                        + ByteSize.format(highest.bytes())
                                        + " was crossed in the same poll";
                        default -> null;
                    };
            sink.emit(
                    EventTypes.MEMORY_THRESHOLD_CROSSED,
                    Long.toString(p.pid()),
                    null,
                    new MemoryThresholdCrossed(
                            p.pid(),
                            p.command(),
                            p.runtime(),
                            sample.rssBytes(),
                            config.limitBytes().isPresent()
                                    ? config.limitBytes().getAsLong()
                                    : null,
                            t.bytes(),
                            t.rule(),
                            tracker.nextAbove(t).map(Threshold::bytes).orElse(null),
                            skipped,
                            pod));
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // One bad poll must not stop the watch: the scheduler drops a task that throws.
            LOG.log(Level.WARNING, "memory poll failed: " + e, e);
        }
    }

    /** Stops polling and capturing. */
    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        captures.close();
    }
}
