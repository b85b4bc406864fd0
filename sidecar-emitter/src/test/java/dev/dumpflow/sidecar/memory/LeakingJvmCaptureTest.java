package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.dumpdir.DumpNaming;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole feature against a real JVM that leaks: thresholds, events, attach, HPROF. */
class LeakingJvmCaptureTest {

    private static final long MIB = 1 << 20;
    static final PodIdentity POD =
            new PodIdentity("shop", "cart-7d9f", null, null, "app", null, Map.of());

    private static final String TOKEN = "leaky-admin-token-0123456789";

    @TempDir Path dumps;

    @Test
    void leakingJvmCrossesTheDoublingLadderInOrderAndEachCrossingCapturesAValidHprof()
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (LeakyJvm app = LeakyJvm.start();
                MemoryWatch watch =
                        MemoryWatch.create(
                                MemoryConfig.fromEnv(
                                        Map.of(
                                                "DUMPFLOW_THRESHOLDS", "64Mi,x2",
                                                "DUMPFLOW_POLL_INTERVAL", "200ms",
                                                "DUMPFLOW_PROCESS_MATCH", app.marker())),
                                CaptureConfig.fromEnv(
                                        Map.of(
                                                "DUMPFLOW_CAPTURE",
                                                "jvm",
                                                "DUMPFLOW_DUMP_DIRS",
                                                dumps.toString(),
                                                "DUMPFLOW_ADMIN_TOKEN",
                                                TOKEN)),
                                POD,
                                sink,
                                new SidecarMetrics())) {
            watch.start();
            for (long threshold : new long[] {64, 128, 256}) {
                app.growTo(threshold + 8);
                RecordingSink.Emitted e = sink.next(Duration.ofSeconds(30));
                assertThat(e.type()).isEqualTo(EventTypes.MEMORY_THRESHOLD_CROSSED);
                assertThat(e.subject()).isEqualTo(Long.toString(app.pid()));
                MemoryThresholdCrossed crossed = (MemoryThresholdCrossed) e.data();
                assertThat(crossed.thresholdBytes()).isEqualTo(threshold * MIB);
                assertThat(crossed.nextThresholdBytes()).isEqualTo(2 * threshold * MIB);
                assertThat(crossed.rule()).isEqualTo("64Mi,x2");
                assertThat(crossed.runtime()).isEqualTo(ProcessRuntime.JVM);
                assertThat(crossed.pid()).isEqualTo(app.pid());
                assertThat(crossed.rssBytes()).isGreaterThanOrEqualTo(threshold * MIB);
                assertThat(crossed.captureSkipped()).isNull();
                assertThat(crossed.command()).contains(app.marker());

                Path dump = awaitDump(app.pid(), Duration.ofSeconds(60));
                String name = dump.getFileName().toString();
                assertThat(DumpNaming.causeOf(name)).isEqualTo(DumpCause.THRESHOLD);
                assertThat(DumpNaming.pidOf(name)).hasValue(app.pid());
                assertThat(hprofHeader(dump)).isEqualTo("JAVA PROFILE 1.0.2");
                // The leak is live data, so the HPROF holds a good share of the threshold.
                assertThat(Files.size(dump)).isGreaterThan(threshold / 2 * MIB);
                Files.delete(dump);
            }
            assertThat(sink.isEmpty()).isTrue();

            // A 4th capture within the hour (default 3/1h), asked for by hand, is refused.
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/captures", watch.captureHandler());
            server.start();
            try {
                HttpResponse<String> fourth =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + server.getAddress()
                                                                                .getPort()
                                                                        + "/captures"))
                                                .header("Authorization", "Bearer " + TOKEN)
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                assertThat(fourth.statusCode()).isEqualTo(429);
                assertThat(fourth.body())
                        .contains("capture limit reached: 3 captures of this process within 1h");
            } finally {
                server.stop(0);
            }
            try (var partial = Files.list(dumps.resolve(".dumpflow/partial"))) {
                assertThat(partial).isEmpty();
            }
        }
    }

    private Path awaitDump(long pid, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Path> found = findDump(pid);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no dump of pid " + pid + " in " + dumps + " within " + timeout);
    }

    private Optional<Path> findDump(long pid) throws IOException {
        try (DirectoryStream<Path> s =
                Files.newDirectoryStream(dumps, "dumpflow_threshold_pid" + pid + "_*.hprof")) {
            for (Path p : s) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String hprofHeader(Path dump) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            byte[] header = in.readNBytes(19);
            assertThat(header[18]).isZero();
            return new String(header, 0, 18, StandardCharsets.US_ASCII);
        }
    }
}
