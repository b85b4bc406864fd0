package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.sidecar.dumpdir.DumpNaming;
import dev.dumpflow.sidecar.memory.LeakyJvm;
import dev.dumpflow.sidecar.memory.MemoryConfig;
import dev.dumpflow.sidecar.memory.MemoryWatch;
import dev.dumpflow.sidecar.memory.RecordingSink;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /captures} on a real HTTP server, capturing a real JVM. */
class CaptureRequestHandlerTest {

    private static final PodIdentity POD =
            new PodIdentity("shop", "cart-7d9f", null, null, "app", null, Map.of());
    private static final String TOKEN = "0123456789abcdef-admin-token";
    private static LeakyJvm app;

    @TempDir Path dumps;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private MemoryWatch watch;

    @BeforeAll
    static void startApp() throws Exception {
        app = LeakyJvm.start();
    }

    @AfterAll
    static void stopApp() throws Exception {
        app.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (watch != null) {
            watch.close();
        }
    }

    private URI serve(Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DUMPFLOW_CAPTURE", "jvm");
        env.put("DUMPFLOW_DUMP_DIRS", dumps.toString());
        env.put("DUMPFLOW_PROCESS_MATCH", app.marker());
        env.putAll(extraEnv);
        watch =
                MemoryWatch.create(
                        MemoryConfig.fromEnv(env),
                        CaptureConfig.fromEnv(env),
                        POD,
                        new RecordingSink(),
                        new SidecarMetrics());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/captures", watch.captureHandler());
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/captures");
    }

    private HttpResponse<String> post(URI uri, String token, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path awaitFile(String name) throws Exception {
        Path p = dumps.resolve(name);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(p) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p).exists();
        return p;
    }

    @Test
    void withoutAnAdminTokenTheEndpointIsDisabled() throws Exception {
        URI uri = serve(Map.of());
        HttpResponse<String> r = post(uri, TOKEN, "");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("DUMPFLOW_ADMIN_TOKEN is not set");
    }

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN));
        assertThat(post(uri, null, "").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = post(uri, TOKEN + "x", "");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(TOKEN);
        try (var files = Files.list(dumps)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void capturesTheRequestedPidAsAManualHprofAndAnswers202WithItsName() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN));
        HttpResponse<String> r = post(uri, TOKEN, "{\"pid\": " + app.pid() + "}");

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("pid").asLong()).isEqualTo(app.pid());
        String name = body.get("fileName").asText();
        assertThat(DumpNaming.causeOf(name)).isEqualTo(DumpCause.MANUAL);
        assertThat(DumpNaming.pidOf(name)).hasValue(app.pid());
        try (InputStream in = Files.newInputStream(awaitFile(name))) {
            assertThat(new String(in.readNBytes(18), StandardCharsets.US_ASCII))
                    .isEqualTo("JAVA PROFILE 1.0.2");
        }
    }

    @Test
    void anEmptyBodyCapturesTheMainProcess() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN));
        HttpResponse<String> r = post(uri, TOKEN, "");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json.readTree(r.body()).get("pid").asLong()).isEqualTo(app.pid());
        awaitFile(json.readTree(r.body()).get("fileName").asText());
    }

    @Test
    void aCaptureBeyondTheLimitIsRefusedWith429AndTheReason() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN, "DUMPFLOW_CAPTURE_LIMIT", "1/1h"));
        HttpResponse<String> first = post(uri, TOKEN, "");
        assertThat(first.statusCode()).isEqualTo(202);
        awaitFile(json.readTree(first.body()).get("fileName").asText());

        HttpResponse<String> second = post(uri, TOKEN, "");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(json.readTree(second.body()).get("error").asText())
                .contains("capture limit reached")
                .contains("DUMPFLOW_CAPTURE_LIMIT=1/1h");
    }

    @Test
    void badRequestsGetClearAnswers() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN));
        assertThat(post(uri, TOKEN, "{\"pid\": \"many\"}").statusCode()).isEqualTo(400);
        assertThat(post(uri, TOKEN, "not json").statusCode()).isEqualTo(400);
        assertThat(post(uri, TOKEN, "{\"pid\": 12.5}").statusCode()).isEqualTo(400);
        assertThat(post(uri, TOKEN, "{\"pid\": -3}").statusCode()).isEqualTo(400);
        // Not an object: refused rather than read as "no pid", which would dump the main process.
        assertThat(post(uri, TOKEN, "[123]").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post(uri, TOKEN, "{\"pid\": 999999999}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("999999999");
        HttpResponse<String> get =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void withCaptureOffARequestIsAConflictNotALimit() throws Exception {
        URI uri = serve(Map.of("DUMPFLOW_ADMIN_TOKEN", TOKEN, "DUMPFLOW_CAPTURE", "off"));
        HttpResponse<String> r = post(uri, TOKEN, "{\"pid\": " + app.pid() + "}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("DUMPFLOW_CAPTURE=off");
    }
}
