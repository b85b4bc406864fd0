package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.MemoryThresholdCrossed;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.capture.CaptureService;
import dev.dumpflow.sidecar.capture.Dumper;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll loop over a staged {@code /proc}: events, restarts, several crossings in one poll. */
class MemoryWatchTest {

    private static final long MIB = 1 << 20;
    private static final PodIdentity POD =
            new PodIdentity("shop", "cart-7d9f", null, null, "app", null, Map.of());

    @TempDir Path procDir;
    @TempDir Path dumps;

    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger dumpsCalled = new AtomicInteger();
    private final Dumper dumper =
            new Dumper() {
                @Override
                public String extension() {
                    return "hprof";
                }

                @Override
                public void dump(WatchedProcess process, Path file) {
                    dumpsCalled.incrementAndGet();
                }
            };

    private MemoryWatch watch(String thresholds, Map<String, String> captureEnv) {
        MemoryConfig memory =
                MemoryConfig.fromEnv(
                        Map.of(
                                "DUMPFLOW_THRESHOLDS",
                                thresholds,
                                "DUMPFLOW_MEMORY_LIMIT_BYTES",
                                "1Gi"));
        CaptureConfig capture =
                CaptureConfig.fromEnv(
                        new java.util.HashMap<>(Map.of("DUMPFLOW_DUMP_DIRS", dumps.toString())) {
                            {
                                putAll(captureEnv);
                            }
                        });
        return new MemoryWatch(
                memory,
                new ProcessScanner(new ProcFiles(procDir), Optional.empty(), 1),
                new CaptureService(
                        capture,
                        Map.of(ProcessRuntime.JVM, dumper),
                        Clock.systemUTC(),
                        new SidecarMetrics()),
                capture,
                POD,
                sink,
                new SidecarMetrics(),
                ProcessListener.NONE);
    }

    private MemoryThresholdCrossed next() throws InterruptedException {
        RecordingSink.Emitted e = sink.next(Duration.ofSeconds(1));
        assertThat(e.type()).isEqualTo(EventTypes.MEMORY_THRESHOLD_CROSSED);
        assertThat(e.dumpId()).isNull();
        return (MemoryThresholdCrossed) e.data();
    }

    @Test
    void aRestartedProcessStartsWithFreshThresholds() throws Exception {
        ProcTree proc = new ProcTree(procDir);
        MemoryWatch watch = watch("80%,95%", Map.of());
        proc.process(40, "java", 'S', 0, 100, "java -jar shop.jar", 900 * 1024);
        watch.poll();
        MemoryThresholdCrossed first = next();
        assertThat(first.thresholdBytes()).isEqualTo(819 * MIB + 204 * 1024 + 819);
        assertThat(first.rule()).isEqualTo("80%");
        assertThat(first.limitBytes()).isEqualTo(1024 * MIB);
        assertThat(first.nextThresholdBytes()).isNotNull();
        assertThat(first.runtime()).isEqualTo(ProcessRuntime.JVM);
        assertThat(first.pod()).isEqualTo(POD);
        watch.poll();
        assertThat(sink.isEmpty()).isTrue();

        // The container restarted: same pid (a fresh PID namespace), new start time.
        proc.remove(40);
        proc.process(40, "java", 'S', 0, 5_000, "java -jar shop.jar", 900 * 1024);
        watch.poll();
        assertThat(next().thresholdBytes()).isEqualTo(first.thresholdBytes());
    }

    @Test
    void severalThresholdsCrossedInOnePollAreAllAnnouncedLowestFirst() throws Exception {
        ProcTree proc = new ProcTree(procDir);
        MemoryWatch watch = watch("64Mi,x2", Map.of());
        proc.process(40, "java", 'S', 0, 100, "java -jar shop.jar", 300 * 1024);
        watch.poll();
        assertThat(next().thresholdBytes()).isEqualTo(64 * MIB);
        assertThat(next().thresholdBytes()).isEqualTo(128 * MIB);
        MemoryThresholdCrossed last = next();
        assertThat(last.thresholdBytes()).isEqualTo(256 * MIB);
        assertThat(last.nextThresholdBytes()).isEqualTo(512 * MIB);
        // Capture is off: nothing was due, so nothing was skipped.
        assertThat(last.captureSkipped()).isNull();
    }

    @Test
    void aDueCaptureThatIsRefusedSaysWhyInTheEvent() throws Exception {
        ProcTree proc = new ProcTree(procDir);
        // The process is larger than any disk: the disk budget refuses.
        MemoryWatch watch = watch("1Gi", Map.of("DUMPFLOW_CAPTURE", "jvm"));
        proc.process(40, "java", 'S', 0, 100, "java -jar shop.jar", Long.MAX_VALUE / 4096);
        watch.poll();
        assertThat(next().captureSkipped()).startsWith("disk budget: ");
        assertThat(dumpsCalled).hasValue(0);
    }

    @Test
    void onlyTheHighestOfSeveralCrossingsInOnePollIsCaptured() throws Exception {
        ProcTree proc = new ProcTree(procDir);
        MemoryWatch watch = watch("64Mi,x2", Map.of("DUMPFLOW_CAPTURE", "jvm"));
        proc.process(40, "java", 'S', 0, 100, "java -jar shop.jar", 300 * 1024);
        watch.poll();
        assertThat(next().captureSkipped()).startsWith("superseded: 64Mi,x2 at 256.0 MiB");
        assertThat(next().captureSkipped()).startsWith("superseded: ");
        assertThat(next().captureSkipped()).isNull();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (dumpsCalled.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(dumpsCalled).hasValue(1);
        watch.close();
    }
}
