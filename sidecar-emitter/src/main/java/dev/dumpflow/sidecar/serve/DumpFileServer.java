package dev.dumpflow.sidecar.serve;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sidecar's one HTTP port: announced dumps at {@code /dumps/}, probes at {@code /healthz}, and
 * whatever another feature registers with {@link #handle(String, HttpHandler)} (for example
 * captures on request, and {@code /metrics}). Every request runs on its own virtual thread.
 *
 * <p>It holds under any number of clients, hostile ones with a valid token included: connections
 * are capped and timed out before a handler runs ({@link ConnectionLimits}), dump bodies are capped
 * ({@link TransferSlots}), and a transfer whose client stops reading is cut ({@link SendWatchdog}).
 */
public final class DumpFileServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DumpFileServer.class.getName());

    private final HttpServer server;
    private final HealthHandler health = new HealthHandler();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TransferSlots transfers;
    private final ServeLimits limits;
    private final SidecarMetrics metrics;
    private SendWatchdog watchdog;

    private DumpFileServer(
            HttpServer server,
            TransferSlots transfers,
            ServeLimits limits,
            SidecarMetrics metrics) {
        this.server = server;
        this.transfers = transfers;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Binds the port (0 picks a free one) on every interface, and registers the dump routes; the
     * server answers nothing until {@link #start()}.
     */
    public static DumpFileServer bind(
            int port,
            ServeLimits limits,
            AnnouncedDumps dumps,
            Clock clock,
            SidecarMetrics metrics) {
        ConnectionLimits.applyToJdkServer(limits);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException taken) {
            throw new UncheckedIOException("cannot listen on port " + port, taken);
        }
        TransferSlots transfers = new TransferSlots(limits, metrics);
        DumpFileServer files = new DumpFileServer(server, transfers, limits, metrics);
        files.handle(DumpsHandler.PREFIX, new DumpsHandler(dumps, transfers, clock, metrics));
        files.handle("/healthz", files.health);
        // Anything else is refused, without a hint of what exists.
        files.handle(
                "/",
                exchange -> {
                    try (exchange) {
                        Responses.send(exchange, 404, "not found");
                    }
                });
        return files;
    }

    /** Registers one more route; call before {@link #start()}. */
    public DumpFileServer handle(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
        return this;
    }

    /** Starts answering. */
    public void start() {
        watchdog = SendWatchdog.start(transfers, limits.sendTimeout(), metrics);
        server.setExecutor(executor);
        server.start();
        LOG.log(System.Logger.Level.INFO, "file server listening on port {0,number,#}", port());
    }

    /** From now on {@code /healthz} answers 200: everything the sidecar runs has started. */
    public void ready() {
        health.ready();
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting and lets running exchanges finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        if (watchdog != null) {
            watchdog.close();
        }
    }
}
