package dev.dumpflow.sidecar;

import static java.lang.System.Logger.Level.INFO;

import dev.dumpflow.sidecar.capture.CaptureMode;
import dev.dumpflow.sidecar.config.SidecarConfig;
import dev.dumpflow.sidecar.dumpdir.ClosedDumps;
import dev.dumpflow.sidecar.emit.EventComposer;
import dev.dumpflow.sidecar.emit.HttpEventPoster;
import dev.dumpflow.sidecar.emit.OrderedSender;
import dev.dumpflow.sidecar.emit.RetryPolicy;
import dev.dumpflow.sidecar.memory.MemoryWatch;
import dev.dumpflow.sidecar.metrics.MetricsHandler;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.outbox.Outbox;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import dev.dumpflow.sidecar.serve.DumpFileServer;
import dev.dumpflow.sidecar.serve.HeldFiles;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The running sidecar: the file server, the event sender, the dump-directory watch and the memory
 * watch, started in an order that never announces a dump nobody can fetch, and stopped in the
 * reverse order.
 */
public final class Sidecar implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Sidecar.class.getName());

    private final DumpFileServer server;
    private final OrderedSender sender;
    private final ClosedDumps closedDumps;
    private final MemoryWatch memoryWatch;
    private final AnnouncedDumps registry;

    private Sidecar(
            DumpFileServer server,
            OrderedSender sender,
            ClosedDumps closedDumps,
            MemoryWatch memoryWatch,
            AnnouncedDumps registry) {
        this.registry = registry;
        this.server = server;
        this.sender = sender;
        this.closedDumps = closedDumps;
        this.memoryWatch = memoryWatch;
    }

    /** Starts everything the configuration asks for. */
    public static Sidecar start(SidecarConfig config, RetryPolicy retry, Clock clock)
            throws IOException {
        SidecarMetrics metrics = new SidecarMetrics();
        AnnouncedDumps registry =
                AnnouncedDumps.open(
                        config.dumpDirs().stateDir(),
                        config.serve().tokenTtl(),
                        clock,
                        metrics,
                        new HeldFiles(config.serve().maxHeldFiles(), metrics));
        DumpFileServer server =
                DumpFileServer.bind(
                        config.serve().port(), config.serve().limits(), registry, clock, metrics);
        server.start();
        EventComposer composer = new EventComposer(config.pod(), config.emit().overrides(), clock);
        HttpEventPoster poster =
                new HttpEventPoster(
                        config.emit().sink(), Duration.ofSeconds(10), config.emit().tokenFile());
        WarmUp.run(composer, poster, config.pod(), server.port());
        OrderedSender sender;
        try {
            sender =
                    new OrderedSender(
                            composer, Outbox.open(config.outbox()), poster, retry, metrics);
        } catch (IOException | RuntimeException unusable) {
            server.close();
            registry.close();
            throw unusable;
        }
        String fetchBase = "http://%s:%d/dumps/".formatted(config.serve().urlHost(), server.port());
        ClosedDumps closedDumps = null;
        try {
            closedDumps =
                    ClosedDumps.start(
                            config.dumpDirs(),
                            // Captures in the process land where the watch must look too.
                            config.capture().inProcess()
                                            && config.capture().mode() != CaptureMode.OFF
                                    ? List.of(config.capture().dumpDir())
                                    : List.of(),
                            config.reannounce(),
                            registry,
                            sender,
                            config.pod(),
                            fetchBase,
                            ClosedDumps.QUIET_PERIOD,
                            clock,
                            metrics);
            MemoryWatch memoryWatch =
                    MemoryWatch.create(
                            config.memory(),
                            config.capture(),
                            config.pod(),
                            sender,
                            metrics,
                            closedDumps.processDirs());
            server.handle("/captures", memoryWatch.captureHandler());
            server.handle(MetricsHandler.PATH, new MetricsHandler(metrics, sender::pending));
            memoryWatch.start();
            server.ready();
            LOG.log(
                    INFO,
                    "sidecar started; events go to {0} through the outbox {1}, with the OIDC"
                            + " token in {2} whenever that file exists",
                    config.emit().sinkForLogs(),
                    config.outbox().dir(),
                    config.emit().tokenFile());
            return new Sidecar(server, sender, closedDumps, memoryWatch, registry);
        } catch (IOException | RuntimeException failed) {
            if (closedDumps != null) {
                closedDumps.close();
            }
            sender.close(Duration.ZERO);
            server.close();
            registry.close();
            throw failed;
        }
    }

    /** The file server's port. */
    public int port() {
        return server.port();
    }

    /** The event sender, which another feature can emit through. */
    public OrderedSender events() {
        return sender;
    }

    /** The file server, for another feature to register a route on. */
    public DumpFileServer server() {
        return server;
    }

    /** Stops watching, gives queued events a few seconds to leave, then stops serving. */
    @Override
    public void close() {
        memoryWatch.close();
        closedDumps.close();
        sender.close(Duration.ofSeconds(5));
        server.close();
        registry.close();
        LOG.log(INFO, "sidecar stopped");
    }
}
