package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.sidecar.config.SidecarConfig;
import dev.dumpflow.sidecar.emit.RetryPolicy;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole dump path in one process: a file closes, the event goes out, the file is pulled. */
class SidecarTest {

    @TempDir Path dumps;

    @Test
    void aClosedDumpIsAnnouncedByContractAndFetchedByteIdenticalWithItsToken() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(content);
        byte[] head = "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, content, 0, head.length);

        try (RecordingReceiver receiver = new RecordingReceiver()) {
            SidecarConfig config =
                    SidecarConfig.fromEnv(
                            Map.of(
                                    "K_SINK", receiver.uri().toString(),
                                    "K_CE_OVERRIDES", "{\"extensions\":{\"team\":\"payments\"}}",
                                    "DUMPFLOW_DUMP_DIRS", dumps.toString(),
                                    "DUMPFLOW_PORT", "0",
                                    "DUMPFLOW_ADVERTISE_HOST", "127.0.0.1",
                                    "POD_NAMESPACE", "shop",
                                    "POD_NAME", "checkout-1",
                                    "CONTAINER_NAME", "app"));
            try (Sidecar sidecar = Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC())) {
                try (OutputStream out = Files.newOutputStream(dumps.resolve("java_pid99.hprof"))) {
                    out.write(content);
                }
                CloudEvent event =
                        receiver.await(
                                        // The test JVM may well cross a memory threshold too.
                                        r -> r.event().getType().equals(EventTypes.DUMP_CLOSED),
                                        Duration.ofSeconds(10))
                                .event();

                assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
                assertThat(event.getType()).isEqualTo(EventTypes.DUMP_CLOSED);
                assertThat(event.getSource())
                        .isEqualTo(URI.create("/namespaces/shop/pods/checkout-1/containers/app"));
                assertThat(event.getDataSchema())
                        .isEqualTo(EventTypes.dataSchema(EventTypes.DUMP_CLOSED));
                assertThat(event.getDataContentType()).isEqualTo("application/json");
                assertThat(event.getTime()).isNotNull();
                assertThat(event.getExtension("team")).isEqualTo("payments");
                String dumpId = (String) event.getExtension(EventTypes.DUMPID_EXTENSION);
                assertThat(event.getSubject()).isEqualTo(dumpId);
                byte[] data = event.getData().toBytes();
                assertThat(ContractSchemas.violations(EventTypes.DUMP_CLOSED, data)).isEmpty();

                JsonNode json = new ObjectMapper().readTree(data);
                assertThat(json.get("dumpId").asText()).isEqualTo(dumpId);
                assertThat(json.get("sizeBytes").asLong()).isEqualTo(content.length);
                assertThat(json.get("format").asText()).isEqualTo("hprof");
                assertThat(json.get("cause").asText()).isEqualTo("oom");
                assertThat(json.get("pid").asLong()).isEqualTo(99);
                String url = json.at("/fetch/url").asText();
                assertThat(url)
                        .isEqualTo("http://127.0.0.1:" + sidecar.port() + "/dumps/" + dumpId);

                HttpResponse<byte[]> fetched =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(URI.create(url))
                                                .header(
                                                        "Authorization",
                                                        "Bearer "
                                                                + json.at("/fetch/token").asText())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(fetched.statusCode()).isEqualTo(200);
                assertThat(fetched.body()).isEqualTo(content);
            }
        }
    }

    @Test
    void aDumpNotDeletedIsAnnouncedAgainWithTheSameIdAndTokenAndArchiveCanStillDeleteIt()
            throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            SidecarConfig config =
                    SidecarConfig.fromEnv(
                            Map.of(
                                    "K_SINK", receiver.uri().toString(),
                                    "DUMPFLOW_DUMP_DIRS", dumps.toString(),
                                    "DUMPFLOW_PORT", "0",
                                    "DUMPFLOW_ADVERTISE_HOST", "127.0.0.1",
                                    "DUMPFLOW_REANNOUNCE_AFTER", "300ms"));
            try (Sidecar sidecar = Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC())) {
                Files.write(
                        dumps.resolve("java_pid5.hprof"),
                        "JAVA PROFILE 1.0.2\0data".getBytes(StandardCharsets.US_ASCII));
                receiver.await(r -> announcements(receiver).size() >= 2, Duration.ofSeconds(10));
                List<CloudEvent> announced = announcements(receiver);
                JsonNode first = data(announced.get(0));
                JsonNode again = data(announced.get(1));

                assertThat(again.get("dumpId")).isEqualTo(first.get("dumpId"));
                assertThat(again.at("/fetch/token")).isEqualTo(first.at("/fetch/token"));
                assertThat(Instant.parse(again.at("/fetch/expiresAt").asText()))
                        .isAfter(Instant.parse(first.at("/fetch/expiresAt").asText()));
                assertThat(announced.get(1).getId()).isNotEqualTo(announced.get(0).getId());

                HttpResponse<Void> deleted =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create(again.at("/fetch/url").asText()))
                                                .header(
                                                        "Authorization",
                                                        "Bearer "
                                                                + again.at("/fetch/token").asText())
                                                .DELETE()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding());
                assertThat(deleted.statusCode()).isEqualTo(204);
                assertThat(dumps.resolve("java_pid5.hprof")).doesNotExist();
            }
        }
    }

    @Test
    void metricsCountTheAnnouncementAndTheBytesServedInThePrometheusTextFormat() throws Exception {
        byte[] content = "JAVA PROFILE 1.0.2\0twelve bytes".getBytes(StandardCharsets.US_ASCII);
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            SidecarConfig config =
                    SidecarConfig.fromEnv(
                            Map.of(
                                    "K_SINK",
                                    receiver.uri().toString(),
                                    "DUMPFLOW_DUMP_DIRS",
                                    dumps.toString(),
                                    "DUMPFLOW_PORT",
                                    "0",
                                    "DUMPFLOW_ADVERTISE_HOST",
                                    "127.0.0.1"));
            try (Sidecar sidecar = Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC())) {
                Files.write(dumps.resolve("java_pid7.hprof"), content);
                JsonNode announced =
                        data(
                                receiver.await(
                                                r ->
                                                        r.event()
                                                                .getType()
                                                                .equals(EventTypes.DUMP_CLOSED),
                                                Duration.ofSeconds(10))
                                        .event());
                HttpClient http = HttpClient.newHttpClient();
                http.send(
                        HttpRequest.newBuilder(URI.create(announced.at("/fetch/url").asText()))
                                .header(
                                        "Authorization",
                                        "Bearer " + announced.at("/fetch/token").asText())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());

                HttpResponse<String> metrics =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + sidecar.port()
                                                                + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(
                                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
                assertThat(metrics.body().lines())
                        .contains(
                                "# TYPE dumpflow_sidecar_announcements_total counter",
                                "dumpflow_sidecar_announcements_total 1",
                                "dumpflow_sidecar_bytes_served_total " + content.length,
                                "dumpflow_sidecar_events_lost_total 0",
                                "dumpflow_sidecar_events_rejected_total 0",
                                "# TYPE dumpflow_sidecar_outbox_events gauge",
                                "dumpflow_sidecar_captures_total{outcome=\"captured\"} 0")
                        .anyMatch(l -> l.startsWith("dumpflow_sidecar_outbox_events "))
                        .anyMatch(l -> l.startsWith("dumpflow_sidecar_threshold_crossings_total "));
            }
        }
    }

    static List<CloudEvent> announcements(RecordingReceiver receiver) {
        return receiver.received().stream()
                .map(RecordingReceiver.Received::event)
                .filter(e -> e.getType().equals(EventTypes.DUMP_CLOSED))
                .toList();
    }

    static JsonNode data(CloudEvent event) throws Exception {
        return new ObjectMapper().readTree(event.getData().toBytes());
    }
}
