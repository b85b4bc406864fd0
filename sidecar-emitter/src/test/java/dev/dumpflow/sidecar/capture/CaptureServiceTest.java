package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureServiceTest {

    @TempDir Path dumps;

    @Test
    void startingRemovesPartialDumpsOlderThanTheTimeoutAndKeepsRecentOnes() throws Exception {
        CaptureConfig config =
                CaptureConfig.fromEnv(
                        Map.of(
                                "DUMPFLOW_DUMP_DIRS",
                                dumps.toString(),
                                "DUMPFLOW_CAPTURE_TIMEOUT",
                                "10m"));
        Path partial = Files.createDirectories(config.partialDir());
        Path stale = Files.writeString(partial.resolve("dumpflow_threshold_pid1_x.hprof"), "old");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.writeString(partial.resolve("dumpflow_threshold_pid2_x.hprof"), "new");

        new CaptureService(config, Map.of(), java.time.Clock.systemUTC(), new SidecarMetrics())
                .close();

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }
}
