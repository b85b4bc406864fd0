package dev.dumpflow.functions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.cli.DumpsCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a new user runs it ({@code bin/local-stack --demo}: S3Proxy, the packaged
 * functions with the download gate, the local broker, the sidecar and a JVM that dumps on its OOM),
 * and {@code ./dumpflow dumps} finding the demo's dump and fetching it: {@code get --decompress}
 * writes a file whose SHA-256 is the record's, which the command checks and this test checks again.
 */
class LocalStackDumpsIT {

    private static final Path SCRIPT = Path.of("../bin/local-stack");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(300)
    void theDemoDumpIsListedShownAndFetchedWithItsChecksumThroughTheGate(@TempDir Path dir)
            throws Exception {
        int gatePort = freePort();
        ProcessBuilder builder =
                new ProcessBuilder(SCRIPT.toAbsolutePath().normalize().toString(), "--demo")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("local-stack.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("DUMPFLOW_LOCAL_STATE", dir.resolve("state").toString());
        env.put("DUMPFLOW_LOCAL_DUMPS", dir.resolve("dumps").toString());
        env.put("DUMPFLOW_FUNCTIONS_PORT", Integer.toString(gatePort));
        env.put("DUMPFLOW_S3_PORT", Integer.toString(freePort()));
        env.put("DUMPFLOW_BROKER_PORT", Integer.toString(freePort()));
        env.put("DUMPFLOW_SIDECAR_PORT", Integer.toString(freePort()));
        env.put("MVN_ARGS", "-o");
        Process stack = builder.start();
        try {
            String gate = "http://127.0.0.1:" + gatePort;
            JsonNode record = firstListed(gate, stack, dir);
            String dumpId = record.get("dumpId").asText();
            Map<String, String> cliEnv = new HashMap<>(Map.of("DUMPFLOW_URL", gate));

            Run listed = cli(cliEnv, "ls", "--namespace", "local");
            Run shown = cli(cliEnv, "show", dumpId);
            Path out = dir.resolve("fetched.hprof");
            Run fetched = cli(cliEnv, "get", dumpId, "--decompress", "-o", out.toString());

            assertThat(listed.exit()).as(listed.err()).isZero();
            assertThat(listed.out()).contains(dumpId);
            assertThat(shown.exit()).as(shown.err()).isZero();
            assertThat(shown.out()).contains(dumpId, record.get("sha256").asText());
            assertThat(fetched.exit()).as(fetched.err()).isZero();
            try (InputStream in = Files.newInputStream(out)) {
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("JAVA PROFILE");
            }
            assertThat(sha256(out)).isEqualTo(record.get("sha256").asText());
            assertThat(Files.size(out)).isEqualTo(record.get("rawBytes").asLong());
        } finally {
            stack.destroy(); // SIGTERM: the script stops its parts
            if (!stack.waitFor(30, TimeUnit.SECONDS)) {
                stack.destroyForcibly();
            }
        }
    }

    /** The first record the gate lists in the demo's namespace, once the demo dump is indexed. */
    private static JsonNode firstListed(String gate, Process stack, Path dir) throws Exception {
        HttpRequest list =
                HttpRequest.newBuilder(URI.create(gate + "/api/dumps?namespace=local")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            if (!stack.isAlive()) {
                throw new IllegalStateException(
                        "the local stack stopped:\n"
                                + Files.readString(dir.resolve("local-stack.log")));
            }
            try {
                HttpResponse<String> answer = HTTP.send(list, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    JsonNode dumps = JSON.readTree(answer.body()).get("dumps");
                    if (dumps != null && !dumps.isEmpty()) {
                        return dumps.get(0);
                    }
                }
            } catch (IOException notUpYet) {
                // the functions are still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                "no dump listed within 240 s:\n"
                        + Files.readString(dir.resolve("local-stack.log")));
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                DumpsCommand.run(
                        args,
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false);
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
