package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar as its own process, as the container runs it. */
class MainTest {

    @TempDir Path dir;

    Process start(Map<String, String> env) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElseThrow(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    String output() throws IOException {
        return Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
    }

    @Test
    void aWrongVariableStopsStartUpWithExitCode2AndAMessageNamingIt() throws Exception {
        Process sidecar = start(Map.of("K_SINK", "not a url"));

        assertThat(sidecar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sidecar.exitValue()).isEqualTo(2);
        assertThat(output()).contains("K_SINK='not a url' is not accepted; accepted:");
    }

    @Test
    void servesHealthUntilSigtermThenStopsCleanly() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            Process sidecar =
                    start(
                            Map.of(
                                    "K_SINK",
                                    receiver.uri().toString(),
                                    "DUMPFLOW_DUMP_DIRS",
                                    dir.resolve("dumps").toString(),
                                    "DUMPFLOW_PORT",
                                    "0",
                                    "DUMPFLOW_ADVERTISE_HOST",
                                    "127.0.0.1"));
            try {
                int port = awaitPort(sidecar);
                awaitOutput("sidecar started");
                HttpResponse<String> health =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + port
                                                                        + "/healthz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);

                sidecar.destroy(); // SIGTERM
                assertThat(sidecar.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(output()).contains("stopping on signal").contains("sidecar stopped");
            } finally {
                sidecar.destroyForcibly();
            }
        }
    }

    int awaitPort(Process sidecar) throws Exception {
        Matcher listening =
                Pattern.compile("listening on port (\\d+)")
                        .matcher(awaitOutput("listening on port"));
        assertThat(listening.find()).isTrue();
        return Integer.parseInt(listening.group(1));
    }

    String awaitOutput(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String out = output();
            if (out.contains(text)) {
                return out;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in: " + output());
    }
}
