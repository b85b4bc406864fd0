package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's "done when": the packaged sidecar, with the shipped {@code jvm.options} (24 MiB heap),
 * holds while 60 clients with dump A's token read nothing and 40 read at 2 MB/s, all asking again
 * whenever refused or cut; meanwhile dump B is fetched whole and byte-identical. The sidecar's peak
 * RSS is printed for {@code docs/reliability.md}.
 */
class SidecarUnderHostileClientsIT {

    private static final byte[] HPROF_HEAD =
            "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII);
    private static final long SIZE_A = 512L * 1024 * 1024;
    private static final int SIZE_B = 96 * 1024 * 1024;

    /** Past the default 30 s send timeout, so that clients that read nothing are cut meanwhile. */
    private static final Duration ATTACK = Duration.ofSeconds(40);

    @TempDir Path root;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void holdsUnderHundredHostileClientsOfOneDumpAndServesAnotherWhole() throws Exception {
        Path dumps = Files.createDirectories(root.resolve("dumps"));
        try (PackagedSidecar sidecar =
                PackagedSidecar.start(dumps, root.resolve("sidecar.log"), Map.of())) {
            long idleHwm = sidecar.statusKiB("VmHWM");
            writeSparse(dumps, "java_pid1.hprof", SIZE_A);
            String shaB = writeRandom(dumps, "java_pid2.hprof", SIZE_B);
            JsonNode a = sidecar.awaitAnnounced("java_pid1.hprof", Duration.ofSeconds(30));
            JsonNode b = sidecar.awaitAnnounced("java_pid2.hprof", Duration.ofSeconds(30));

            long attackStart = System.nanoTime();
            Fetched fetched;
            long requests;
            long refused;
            long admitted;
            try (HostileClients hostile =
                    HostileClients.start(
                            sidecar.port(),
                            URI.create(a.at("/fetch/url").asText()).getRawPath(),
                            a.at("/fetch/token").asText(),
                            60,
                            40,
                            ATTACK,
                            2_000_000)) {
                Thread.sleep(3_000);
                fetched = fetchWhole(sidecar, b, Duration.ofSeconds(90));
                long left = ATTACK.toNanos() - (System.nanoTime() - attackStart);
                if (left > 0) {
                    Thread.sleep(Duration.ofNanos(left));
                }
                assertThat(sidecar.isAlive())
                        .as("the sidecar is alive under attack, log:\n%s", sidecar.output())
                        .isTrue();
                requests = hostile.requests();
                refused = hostile.refused();
                admitted = hostile.admitted();
            }
            long peakHwm = sidecar.statusKiB("VmHWM");
            long cut =
                    MetricsScrape.sample(
                                    sidecar.port(),
                                    "dumpflow_sidecar_transfers_cut_total{reason=\"stalled\"}")
                            .orElse(-1);
            long dumpBusy =
                    MetricsScrape.sample(
                                    sidecar.port(),
                                    "dumpflow_sidecar_transfers_refused_total{reason=\"dump-busy\"}")
                            .orElse(-1);
            System.out.printf(
                    "hostile clients: %d GETs of dump A, %d admitted, %d refused; dump B: %d"
                            + " bytes in %d ms after %d attempt(s), SHA-256 %s; sidecar VmHWM"
                            + " %d KiB idle, %d KiB after the attack; cut (stalled) %d,"
                            + " refused (dump-busy) %d%n",
                    requests,
                    admitted,
                    refused,
                    fetched.bytes(),
                    fetched.millis(),
                    fetched.attempts(),
                    fetched.sha256(),
                    idleHwm,
                    peakHwm,
                    cut,
                    dumpBusy);

            assertThat(fetched.sha256()).isEqualTo(shaB);
            assertThat(fetched.bytes()).isEqualTo(SIZE_B);
            assertThat(sidecar.exitCode()).isEmpty();
            assertThat(dumpBusy).isPositive();
            assertThat(cut).isPositive();
        }
    }

    /** What a fetch of a whole dump got. */
    private record Fetched(long bytes, String sha256, int attempts, long millis) {}

    /**
     * Fetches the dump as the archive does: a 503 or a refused connection is tried again (after
     * Retry-After when given) until the deadline; fails at once if the sidecar has exited.
     */
    private static Fetched fetchWhole(PackagedSidecar sidecar, JsonNode dump, Duration within)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(dump.at("/fetch/url").asText()))
                        .header("Authorization", "Bearer " + dump.at("/fetch/token").asText())
                        .build();
        String last = "nothing";
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
                assertThat(sidecar.exitCode())
                        .as(
                                "the sidecar exited while dump B was fetched, log:\n%s",
                                sidecar.output())
                        .isEmpty();
                try {
                    HttpResponse<InputStream> response =
                            http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream body = response.body()) {
                        if (response.statusCode() == 200) {
                            MessageDigest sha = MessageDigest.getInstance("SHA-256");
                            byte[] buffer = new byte[64 * 1024];
                            long bytes = 0;
                            for (int n; (n = body.read(buffer)) >= 0; bytes += n) {
                                sha.update(buffer, 0, n);
                            }
                            return new Fetched(
                                    bytes,
                                    HexFormat.of().formatHex(sha.digest()),
                                    attempt,
                                    (System.nanoTime() - start) / 1_000_000);
                        }
                        last = "status " + response.statusCode();
                        long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                        Thread.sleep(Duration.ofSeconds(Math.min(wait, 5)));
                    }
                } catch (IOException cut) {
                    last = cut.toString();
                    Thread.sleep(500);
                }
            }
        }
        throw new AssertionError("dump B was not fetched within " + within + "; last: " + last);
    }

    private static void writeSparse(Path dumps, String name, long size) throws IOException {
        Path partial = dumps.resolve(name + ".partial");
        try (RandomAccessFile file = new RandomAccessFile(partial.toFile(), "rw")) {
            file.write(HPROF_HEAD);
            file.setLength(size);
        }
        Files.move(partial, dumps.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes random bytes behind an HPROF head; returns their SHA-256. */
    private static String writeRandom(Path dumps, String name, int size) throws Exception {
        Path partial = dumps.resolve(name + ".partial");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(18);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(partial)) {
            out.write(HPROF_HEAD);
            sha.update(HPROF_HEAD);
            for (int written = HPROF_HEAD.length; written < size; ) {
                random.nextBytes(chunk);
                int n = Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                sha.update(chunk, 0, n);
                written += n;
            }
        }
        Files.move(partial, dumps.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return HexFormat.of().formatHex(sha.digest());
    }
}
