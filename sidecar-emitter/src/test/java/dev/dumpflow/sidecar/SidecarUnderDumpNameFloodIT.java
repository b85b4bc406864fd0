package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sidecar, with its default {@code DUMPFLOW_MAX_HELD_FILES} (256), under the lowest
 * {@code nofile} a container commonly gets (1024, set with {@code prlimit}), while an application
 * writes 3000 dump-named files with a dump's head into the dump directory: every one of them would
 * be announced and held. The sidecar must stay within its cap, keep answering and serving the dump
 * announced before, and announce a real dump once the flood is gone.
 */
class SidecarUnderDumpNameFloodIT {

    private static final int NOFILE = 1024;
    private static final int FLOOD = 3000;
    private static final int DEFAULT_CAP = 256;

    @TempDir Path root;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFloodOfDumpNamedFilesLeavesTheSidecarServingWithinItsNofileLimit() throws Exception {
        Path dumps = Files.createDirectories(root.resolve("dumps"));
        try (PackagedSidecar sidecar =
                PackagedSidecar.start(
                        dumps,
                        root.resolve("sidecar.log"),
                        // Rounds (a quarter of it apart) forget the files the attacker deletes.
                        Map.of("DUMPFLOW_REANNOUNCE_AFTER", "2s"),
                        List.of("/usr/bin/prlimit", "--nofile=" + NOFILE + ":" + NOFILE, "--"))) {
            byte[] before = hprof("the dump before the flood");
            Files.write(dumps.resolve("java_pid1.hprof"), before);
            JsonNode first = sidecar.awaitAnnounced("java_pid1.hprof", Duration.ofSeconds(30));

            long mostOpen = 0;
            long mostOnFlood = 0;
            for (int i = 0; i < FLOOD; i++) {
                Files.write(dumps.resolve("flood-" + i + ".hprof"), hprof("flood " + i));
                if (i % 100 == 0) {
                    mostOpen = Math.max(mostOpen, descriptors(sidecar.pid(), ""));
                    mostOnFlood = Math.max(mostOnFlood, descriptors(sidecar.pid(), "flood-"));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                mostOpen = Math.max(mostOpen, descriptors(sidecar.pid(), ""));
                mostOnFlood = Math.max(mostOnFlood, descriptors(sidecar.pid(), "flood-"));
                Thread.sleep(100);
            }
            System.out.printf(
                    "SidecarUnderDumpNameFloodIT: %d dump-named files, nofile %d: at most %d"
                            + " descriptors open, %d of them on the flood%n",
                    FLOOD, NOFILE, mostOpen, mostOnFlood);

            assertThat(sidecar.isAlive()).as("alive, log:\n%s", sidecar.output()).isTrue();
            assertThat(MetricsScrape.sample(sidecar.port(), "dumpflow_sidecar_announcements_total"))
                    .as("/metrics answered, log:\n%s", sidecar.output())
                    .isPresent();
            HttpResponse<byte[]> served = fetch(first);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(before);
            assertThat(mostOnFlood)
                    .as("the sidecar's descriptors on the flood, at most")
                    .isBetween(1L, (long) DEFAULT_CAP);
            assertThat(
                            MetricsScrape.sample(sidecar.port(), "dumpflow_sidecar_files_held")
                                    .orElse(-1))
                    .isBetween(1L, (long) DEFAULT_CAP);
            assertThat(
                            MetricsScrape.sample(
                                            sidecar.port(),
                                            "dumpflow_sidecar_files_refused_total{use=\"dump\"}")
                                    .orElse(-1))
                    .isPositive();

            try (Stream<Path> flood = Files.list(dumps)) {
                for (Path f : flood.filter(f -> f.toString().contains("flood-")).toList()) {
                    Files.delete(f);
                }
            }
            byte[] after = hprof("the dump after the flood");
            Files.write(dumps.resolve("java_pid2.hprof"), after);
            JsonNode second = sidecar.awaitAnnounced("java_pid2.hprof", Duration.ofSeconds(60));
            HttpResponse<byte[]> servedAfter = fetch(second);
            assertThat(servedAfter.statusCode()).isEqualTo(200);
            assertThat(servedAfter.body()).isEqualTo(after);
        }
    }

    private static byte[] hprof(String body) {
        return ("JAVA PROFILE 1.0.2\0" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** The process's descriptors whose link holds the word ("" for all). */
    private static long descriptors(long pid, String word) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.filter(fd -> linksTo(fd, word)).count();
        }
    }

    private static boolean linksTo(Path fd, String word) {
        try {
            return Files.readSymbolicLink(fd).toString().contains(word);
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }

    private static HttpResponse<byte[]> fetch(JsonNode closed) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(closed.at("/fetch/url").asText()))
                            .header("Authorization", "Bearer " + closed.at("/fetch/token").asText())
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }
}
