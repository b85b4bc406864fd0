package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.sidecar.config.SidecarConfig;
import dev.dumpflow.sidecar.emit.RetryPolicy;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dumps inside an application's own file system, with no shared volume: the JVM runs in a mount
 * namespace of its own ({@code unshare --mount}) with a private tmpfs on its dump directory, so the
 * dump exists nowhere the sidecar's namespace can name it but through {@code /proc/<pid>/root}; the
 * sidecar runs here, in the original namespace. Needs root and {@code unshare}; skipped without.
 */
class InProcessDumpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;
    private Path privateDir;
    private Process app;

    @BeforeEach
    void namespacesAvailable() throws IOException {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare to give the JVM a mount namespace of its own");
        work = Files.createDirectories(Path.of("target", "inproc-" + UUID.randomUUID()));
        work = work.toAbsolutePath();
        privateDir = Files.createDirectories(work.resolve("private"));
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aDumpInAPrivateNamespaceIsAnnouncedServedAfterItsWriterAndNamespaceAreGoneAndDeleted()
            throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver();
                Sidecar sidecar = startSidecar(receiver, "auto")) {
            BufferedReader out = startApp(false);
            out.readLine(); // ready
            send("leak\n");
            // HotSpot's own lines ("Dumping heap to ...") come first.
            String line = out.readLine();
            while (line != null && !line.startsWith("dumped ")) {
                line = out.readLine();
            }
            assertThat(line).isNotNull();
            String[] dumped = line.split(" ");
            String appSha256 = dumped[1];
            long size = Long.parseLong(dumped[2]);

            JsonNode closed = awaitDumpClosed(receiver);
            assertThat(closed.get("fileName").asText())
                    .isEqualTo("java_pid" + app.pid() + ".hprof");
            assertThat(closed.get("sizeBytes").asLong()).isEqualTo(size);
            assertThat(closed.get("cause").asText()).isEqualTo("oom");
            // The dump directory is the namespace's own: here it is an empty directory.
            try (Stream<Path> here = Files.list(privateDir)) {
                assertThat(here).isEmpty();
            }

            // The JVM exits, the last process of its namespace: its root and tmpfs go with it.
            app.getOutputStream().close();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Path.of("/proc", Long.toString(app.pid()))).doesNotExist();

            HttpResponse<byte[]> whole = fetch("GET", closed, null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(sha256(whole.body())).isEqualTo(appSha256);
            HttpResponse<byte[]> range = fetch("GET", closed, "bytes=0-17");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(new String(range.body(), StandardCharsets.US_ASCII))
                    .isEqualTo("JAVA PROFILE 1.0.2");
            assertThat(metric(sidecar, "dumpflow_sidecar_dumps_held")).isEqualTo(1);
            assertThat(descriptorsOnDumps()).hasSize(1);

            assertThat(fetch("DELETE", closed, null).statusCode()).isEqualTo(204);
            assertThat(fetch("GET", closed, null).statusCode()).isEqualTo(404);
            assertThat(metric(sidecar, "dumpflow_sidecar_dumps_held")).isZero();
            // Closing the last descriptor was the delete: nothing holds the tmpfs any more.
            assertThat(descriptorsOnDumps()).isEmpty();
        }
    }

    @Test
    void aJvmThatExitsTheMomentItsDumpIsWrittenStillHasItAnnouncedWhole() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver();
                Sidecar sidecar = startSidecar(receiver, "auto")) {
            BufferedReader out = startApp(true);
            out.readLine(); // ready
            // Gives the memory watch a poll or two to find the JVM and watch its directory.
            Thread.sleep(1_000);
            send("leak\n");
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(app.exitValue()).isNotZero();

            JsonNode closed = awaitDumpClosed(receiver);
            HttpResponse<byte[]> whole = fetch("GET", closed, null);
            assertThat(whole.statusCode()).isEqualTo(200);
            byte[] hprof = whole.body();
            assertThat(hprof).hasSize((int) closed.get("sizeBytes").asLong());
            assertThat(new String(hprof, 0, 18, StandardCharsets.US_ASCII))
                    .isEqualTo("JAVA PROFILE 1.0.2");
            // A complete HPROF ends with a HEAP DUMP END record: tag 0x2C, time, length 0.
            assertThat(hprof[hprof.length - 9]).isEqualTo((byte) 0x2C);
            assertThat(Arrays.copyOfRange(hprof, hprof.length - 4, hprof.length)).containsOnly(0);
            assertThat(metric(sidecar, "dumpflow_sidecar_dumps_unreachable_total")).isZero();
        }
    }

    private Sidecar startSidecar(RecordingReceiver receiver, String processDirs)
            throws IOException {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        Map.of(
                                "K_SINK",
                                receiver.uri().toString(),
                                "DUMPFLOW_PROCESS_DUMP_DIRS",
                                processDirs,
                                "DUMPFLOW_STATE_DIR",
                                work.resolve("state").toString(),
                                "DUMPFLOW_PORT",
                                "0",
                                "DUMPFLOW_ADVERTISE_HOST",
                                "127.0.0.1",
                                "DUMPFLOW_PROCESS_MATCH",
                                work.getFileName().toString(),
                                "DUMPFLOW_POLL_INTERVAL",
                                "200ms",
                                "DUMPFLOW_THRESHOLDS",
                                "64Gi"));
        return Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC());
    }

    /** The JVM, alone in a new mount namespace, with a tmpfs on its dump directory. */
    private BufferedReader startApp(boolean exitOnOom) throws IOException {
        assumeTrue(
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .noneMatch(entry -> Path.of(entry).toAbsolutePath().startsWith(work)),
                "the class path must stay visible past the private mount");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command =
                List.of(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount -t tmpfs tmpfs \"$1\" && exec \"$0\" -Ddumpflow.marker=\"$2\""
                                + " -Xmx24m -XX:+UseSerialGC -XX:+HeapDumpOnOutOfMemoryError"
                                + " -XX:HeapDumpPath=\"$1\" "
                                + (exitOnOom ? "-XX:+ExitOnOutOfMemoryError " : "")
                                + "-cp \"$3\" "
                                + OomApp.class.getName()
                                + " \"$1\"",
                        java,
                        privateDir.toString(),
                        work.getFileName().toString(),
                        System.getProperty("java.class.path"));
        app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new BufferedReader(new InputStreamReader(app.getInputStream()));
    }

    private void send(String line) throws IOException {
        app.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        app.getOutputStream().flush();
    }

    private static JsonNode awaitDumpClosed(RecordingReceiver receiver) throws Exception {
        return JSON.readTree(
                receiver.await(
                                r -> r.event().getType().equals(EventTypes.DUMP_CLOSED),
                                Duration.ofSeconds(30))
                        .event()
                        .getData()
                        .toBytes());
    }

    private HttpResponse<byte[]> fetch(String method, JsonNode closed, String range)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(closed.at("/fetch/url").asText()))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + closed.at("/fetch/token").asText());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private long metric(Sidecar sidecar, String name) throws Exception {
        String text =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + sidecar.port()
                                                                + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in\n" + text));
    }

    /** This JVM's descriptors on the app's dumps, by the name their links show. */
    private List<Path> descriptorsOnDumps() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(
                            fd -> {
                                try {
                                    return Files.readSymbolicLink(fd)
                                            .toString()
                                            .contains("java_pid" + app.pid() + ".hprof");
                                } catch (IOException closedMeanwhile) {
                                    return false;
                                }
                            })
                    .toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
