package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.sidecar.config.SidecarConfig;
import dev.dumpflow.sidecar.emit.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile application floods the watched directories with dump-named files, hoping to exhaust the
 * sidecar's {@code nofile} limit: one directory of the sidecar's own, where every file with a
 * dump's head is announced, and one inside the application's file system, where each dump-named
 * file is held from its creation. With {@code DUMPFLOW_MAX_HELD_FILES=8} the sidecar holds at most
 * 8 descriptors on dump files (counted by its metric and, independently, in {@code /proc/self/fd}),
 * counts what it refused, keeps answering and serving the dump announced before the flood, and
 * announces a real dump once the flood is gone.
 */
class DumpNameFloodTest {

    private static final int CAP = 8;
    private static final int FLOOD = 300;
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags:\\s*([0-7]+)$");

    @TempDir Path root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFloodOfDumpNamedFilesNeverTakesMoreThanTheCapAndARealDumpIsServedBeforeAndAfter()
            throws Exception {
        Path dumps = Files.createDirectories(root.resolve("dumps"));
        Path appDir = Files.createDirectories(root.resolve("app"));
        String marker = "0." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        Process app = new ProcessBuilder("sleep", "600", marker).start();
        try (RecordingReceiver receiver = new RecordingReceiver();
                Sidecar sidecar = start(receiver, dumps, appDir, marker)) {
            byte[] before = hprof("the dump before the flood");
            Files.write(dumps.resolve("java_pid1.hprof"), before);
            JsonNode first = awaitAnnounced(receiver, "java_pid1.hprof");
            // Gives the memory watch a poll or two to find the app and watch its directory.
            Thread.sleep(1_000);

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong mostHeldByMetric = new AtomicLong();
            AtomicLong mostHeldInProc = new AtomicLong();
            AtomicLong scrapesFailed = new AtomicLong();
            Thread sampler =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        while (flooding.get()) {
                                            OptionalLong held = held(sidecar);
                                            if (held.isEmpty()) {
                                                scrapesFailed.incrementAndGet();
                                            }
                                            mostHeldByMetric.accumulateAndGet(
                                                    held.orElse(0), Math::max);
                                            mostHeldInProc.accumulateAndGet(
                                                    readOnlyDescriptorsOn("flood"), Math::max);
                                        }
                                    });
            for (int i = 0; i < FLOOD; i++) {
                Files.write(dumps.resolve("flood-" + i + ".hprof"), hprof("flood " + i));
                Files.write(appDir.resolve("core." + i), new byte[] {1});
                Files.write(appDir.resolve("flood-" + i + ".hprof"), hprof("flood " + i));
            }
            // The quiet period and a few retries of what was deferred.
            Thread.sleep(3_000);
            flooding.set(false);
            sampler.join();

            assertThat(mostHeldInProc.get())
                    .as("the sidecar's own descriptors on flood files, at most")
                    .isBetween(1L, (long) CAP);
            assertThat(mostHeldByMetric.get()).isBetween(1L, (long) CAP);
            assertThat(scrapesFailed.get()).as("scrapes of /metrics unanswered").isZero();
            assertThat(
                            sample(sidecar, "dumpflow_sidecar_files_refused_total{use=\"dump\"}")
                                    .orElse(-1))
                    .isPositive();
            HttpResponse<byte[]> served = fetch(first);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(before);

            // The attacker gives up; its announced files are forgotten at the next round.
            try (Stream<Path> flood =
                    Stream.concat(Files.list(dumps), Files.list(appDir))
                            .filter(
                                    f ->
                                            f.getFileName().toString().startsWith("flood-")
                                                    || f.getFileName()
                                                            .toString()
                                                            .startsWith("core."))) {
                for (Path f : flood.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            byte[] after = hprof("the dump after the flood");
            Files.write(dumps.resolve("java_pid2.hprof"), after);
            JsonNode second = awaitAnnounced(receiver, "java_pid2.hprof");
            HttpResponse<byte[]> servedAfter = fetch(second);
            assertThat(servedAfter.statusCode()).isEqualTo(200);
            assertThat(servedAfter.body()).isEqualTo(after);
            assertThat(held(sidecar).orElse(-1)).isBetween(1L, (long) CAP);
        } finally {
            app.destroyForcibly().waitFor();
        }
    }

    private static Sidecar start(RecordingReceiver receiver, Path dumps, Path appDir, String marker)
            throws IOException {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        Map.of(
                                "K_SINK",
                                receiver.uri().toString(),
                                "DUMPFLOW_DUMP_DIRS",
                                dumps.toString(),
                                "DUMPFLOW_PROCESS_DUMP_DIRS",
                                appDir.toString(),
                                "DUMPFLOW_PROCESS_MATCH",
                                "sleep 600 " + marker.replace(".", "\\."),
                                "DUMPFLOW_POLL_INTERVAL",
                                "200ms",
                                "DUMPFLOW_THRESHOLDS",
                                "64Gi",
                                "DUMPFLOW_PORT",
                                "0",
                                "DUMPFLOW_ADVERTISE_HOST",
                                "127.0.0.1",
                                // Rounds (a quarter of it apart) forget the files deleted.
                                "DUMPFLOW_REANNOUNCE_AFTER",
                                "2s",
                                "DUMPFLOW_MAX_HELD_FILES",
                                Integer.toString(CAP)));
        return Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC());
    }

    private static byte[] hprof(String body) {
        return ("JAVA PROFILE 1.0.2\0" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private static JsonNode awaitAnnounced(RecordingReceiver receiver, String fileName)
            throws Exception {
        return SidecarTest.data(
                receiver.await(
                                r ->
                                        r.event().getType().equals(EventTypes.DUMP_CLOSED)
                                                && fileName.equals(fileNameOf(r)),
                                Duration.ofSeconds(20))
                        .event());
    }

    private static String fileNameOf(RecordingReceiver.Received r) {
        try {
            return SidecarTest.data(r.event()).get("fileName").asText();
        } catch (Exception unreadable) {
            return null;
        }
    }

    private HttpResponse<byte[]> fetch(JsonNode closed) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(closed.at("/fetch/url").asText()))
                        .header("Authorization", "Bearer " + closed.at("/fetch/token").asText())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static OptionalLong held(Sidecar sidecar) {
        return sample(sidecar, "dumpflow_sidecar_files_held");
    }

    private static OptionalLong sample(Sidecar sidecar, String name) {
        try {
            return MetricsScrape.sample(sidecar.port(), name);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * This JVM's read-only descriptors on files whose name holds the word: the sidecar's (the test
     * writes through descriptors opened for writing, closed at once).
     */
    private static long readOnlyDescriptorsOn(String word) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> linksTo(fd, word) && readOnly(fd)).count();
        } catch (IOException unreadable) {
            return 0;
        }
    }

    private static boolean linksTo(Path fd, String word) {
        try {
            return Files.readSymbolicLink(fd).getFileName().toString().contains(word);
        } catch (IOException | RuntimeException closedMeanwhile) {
            return false;
        }
    }

    private static boolean readOnly(Path fd) {
        try {
            Matcher flags =
                    FLAGS.matcher(
                            Files.readString(
                                    Path.of("/proc/self/fdinfo").resolve(fd.getFileName())));
            return flags.find() && (Integer.parseInt(flags.group(1), 8) & 03) == 0;
        } catch (IOException | RuntimeException closedMeanwhile) {
            return false;
        }
    }
}
