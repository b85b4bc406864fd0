package dev.dumpflow.sidecar.capture;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.dotnet.DiagnosticSocketLocator;
import dev.dumpflow.sidecar.capture.dotnet.DotnetDumper;
import dev.dumpflow.sidecar.capture.jvm.JvmHeapDumper;
import dev.dumpflow.sidecar.dumpdir.DumpNaming;
import dev.dumpflow.sidecar.memory.ByteSize;
import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.ProcessSample;
import dev.dumpflow.sidecar.memory.WatchedProcess;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.ProcessRootPath;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether a process is captured (mode, one at a time, disk budget, limits) and runs the
 * capture on its own thread, so that the memory watch keeps polling while a dump is written.
 *
 * <p>The target writes its dump under {@code <dumpDir>/.dumpflow/partial/}, which the dump-dir
 * watcher does not see; once the runtime says the file is complete it is renamed into the dump
 * directory (same file system, atomic), where the watcher announces it with the cause and pid its
 * name tells. With captures in the process ({@code DUMPFLOW_CAPTURE_DIR_IN_PROCESS}) the target
 * writes {@code <dir>/<name>.partial} in its own file system, and the rename goes through its
 * {@code /proc/<pid>/root}, where the process-directory watch finds the dump.
 */
public final class CaptureService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CaptureService.class.getName());

    private final CaptureConfig config;
    private final Map<ProcessRuntime, Dumper> dumpers;
    private final CaptureLimiter limiter;
    private final DiskBudget disk;
    private final Clock clock;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker;
    private final SidecarMetrics metrics;

    public CaptureService(
            CaptureConfig config,
            Map<ProcessRuntime, Dumper> dumpers,
            Clock clock,
            SidecarMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.dumpers = Map.copyOf(dumpers);
        this.clock = clock;
        this.limiter =
                new CaptureLimiter(
                        config.limit(),
                        config.cooldown(),
                        new CaptureLedger(config.stateDir()),
                        clock);
        this.disk = new DiskBudget(config.dumpDir(), config.dumpDirSizeLimit());
        this.worker =
                Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().name("dumpflow-capture").daemon().factory());
        removeStalePartials();
    }

    /** The service with the real JVM and .NET dumpers. */
    public static CaptureService create(
            CaptureConfig config, ProcFiles proc, SidecarMetrics metrics) {
        return new CaptureService(
                config,
                Map.of(
                        ProcessRuntime.JVM,
                        new JvmHeapDumper(config.timeout()),
                        ProcessRuntime.DOTNET,
                        new DotnetDumper(
                                new DiagnosticSocketLocator(proc),
                                config.dotnetDumpType(),
                                config.timeout())),
                Clock.systemUTC(),
                metrics);
    }

    /** Whether the configured mode captures processes of this runtime. */
    public boolean covers(ProcessRuntime runtime) {
        return config.mode().covers(runtime) && dumpers.containsKey(runtime);
    }

    /** A threshold was crossed: capture if the mode covers the process. */
    public CaptureDecision onThreshold(ProcessSample sample) {
        if (!covers(sample.process().runtime())) {
            return new CaptureDecision.NotDue();
        }
        return capture(sample, DumpCause.THRESHOLD);
    }

    /** Somebody asked for a dump. */
    public CaptureDecision onRequest(ProcessSample sample) {
        if (!covers(sample.process().runtime())) {
            return skipped(
                    sample.process(),
                    false,
                    "DUMPFLOW_CAPTURE="
                            + config.mode().name().toLowerCase(java.util.Locale.ROOT)
                            + " does not capture "
                            + sample.process().runtime().wire()
                            + " processes");
        }
        return capture(sample, DumpCause.MANUAL);
    }

    private synchronized CaptureDecision capture(ProcessSample sample, DumpCause cause) {
        WatchedProcess process = sample.process();
        if (running.contains(process.pid())) {
            return skipped(process, true, "a capture of this process is already running");
        }
        Optional<String> refusal =
                (config.inProcess()
                                ? DiskBudget.checkInside(
                                        ProcessRootPath.inside(process.pid(), config.dumpDir()),
                                        sample.rssBytes())
                                : disk.check(sample.rssBytes()))
                        .or(() -> limiter.tryAcquire(process.programKey()));
        if (refusal.isPresent()) {
            return skipped(process, true, refusal.get());
        }
        Dumper dumper = dumpers.get(process.runtime());
        String name = freeName(cause, process.pid(), dumper.extension(), landing(process));
        running.add(process.pid());
        LOG.log(
                Level.INFO,
                "capturing {0} of pid {1} ({2}, RSS {3}), cause {4}",
                name,
                Long.toString(process.pid()),
                process.runtime().wire(),
                ByteSize.format(sample.rssBytes()),
                cause.wire());
        worker.execute(() -> run(process, dumper, name));
        return new CaptureDecision.Started(name);
    }

    /** Where the capture lands, as the sidecar reaches it. */
    private Path landing(WatchedProcess process) {
        return config.inProcess()
                ? ProcessRootPath.inside(process.pid(), config.dumpDir())
                : config.dumpDir();
    }

    private void run(WatchedProcess process, Dumper dumper, String name) {
        // The target writes to a name the watch ignores; the complete file is renamed in place.
        Path partialForTarget =
                config.inProcess()
                        ? config.dumpDir().resolve(name + ".partial")
                        : config.partialDir().resolve(name);
        Path partial =
                config.inProcess()
                        ? ProcessRootPath.inside(process.pid(), partialForTarget)
                        : partialForTarget;
        try {
            if (!config.inProcess()) {
                Files.createDirectories(config.partialDir());
            }
            long started = System.nanoTime();
            dumper.dump(process, partialForTarget);
            if (!Files.isRegularFile(partial)) {
                throw new IOException("the runtime reported success but wrote no " + partial);
            }
            long size = Files.size(partial);
            Files.move(partial, landing(process).resolve(name), StandardCopyOption.ATOMIC_MOVE);
            LOG.log(
                    Level.INFO,
                    "captured {0}: {1} in {2} ms",
                    name,
                    ByteSize.format(size),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            metrics.captureEnded(SidecarMetrics.CaptureOutcome.CAPTURED);
        } catch (IOException | RuntimeException e) {
            metrics.captureEnded(SidecarMetrics.CaptureOutcome.FAILED);
            LOG.log(
                    Level.WARNING,
                    "capture {0} of pid {1} failed: {2}",
                    name,
                    Long.toString(process.pid()),
                    e.getMessage());
            try {
                Files.deleteIfExists(partial);
            } catch (IOException cleanup) {
                LOG.log(Level.WARNING, "cannot remove the partial dump {0}: {1}", partial, cleanup);
            }
        } finally {
            running.remove(process.pid());
        }
    }

    /**
     * A sidecar killed during a capture leaves a partial file nobody will rename; once older than
     * the capture timeout no runtime is still writing it, and it only takes room.
     */
    private void removeStalePartials() {
        if (config.inProcess()) {
            return; // inside processes that may be long gone; a restarted app starts afresh
        }
        Instant stale = clock.instant().minus(config.timeout());
        try (var files = Files.list(config.partialDir())) {
            for (Path p : files.toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(stale)) {
                    Files.deleteIfExists(p);
                    LOG.log(Level.INFO, "removed the stale partial dump {0}", p.getFileName());
                }
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // no capture ever ran here
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot clean {0}: {1}", config.partialDir(), e.toString());
        }
    }

    /** Names carry seconds: two captures of one pid in one second must not collide. */
    private String freeName(DumpCause cause, long pid, String extension, Path landing) {
        Instant at = clock.instant();
        while (true) {
            String name = DumpNaming.captureFileName(cause, pid, at, extension);
            if (!Files.exists(landing.resolve(name))
                    && !Files.exists(landing.resolve(name + ".partial"))
                    && !Files.exists(config.partialDir().resolve(name))) {
                return name;
            }
            at = at.plusSeconds(1);
        }
    }

    private CaptureDecision skipped(WatchedProcess process, boolean limited, String reason) {
        metrics.captureEnded(SidecarMetrics.CaptureOutcome.SKIPPED);
        LOG.log(Level.WARNING, "no capture of pid {0}: {1}", Long.toString(process.pid()), reason);
        return new CaptureDecision.Skipped(limited, reason);
    }

    /** Stops taking captures; a dump being written is left to finish in the target. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
