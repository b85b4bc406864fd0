package dev.dumpflow.localstack.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local broker as its process runs it: configured by the environment, listening on a port of
 * its own and routing by the repository's real knative/ manifests.
 */
class LocalBrokerServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private RecordingSubscriber subscriber;
    private LocalBrokerServer server;

    @BeforeEach
    void start() throws Exception {
        subscriber = new RecordingSubscriber();
        server =
                LocalBrokerServer.start(
                        LocalBrokerConfig.fromEnv(
                                Map.of(
                                        "DUMPFLOW_BROKER_MANIFESTS",
                                        RealManifestsRoutingTest.KNATIVE.toString(),
                                        "DUMPFLOW_BROKER_SUBSCRIBER_URL",
                                        subscriber.baseUrl().toString(),
                                        "DUMPFLOW_BROKER_PORT",
                                        "0")));
    }

    @AfterEach
    void stop() {
        server.close();
        subscriber.close();
    }

    @Test
    void acceptsAnEventAtTheBrokersIngressAndDeliversItByTheRealTriggers() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(server.ingress("dumpflow", "dumpflow"))
                                .header("ce-specversion", "1.0")
                                .header("ce-id", "wiring-1")
                                .header("ce-source", "/namespaces/shop/pods/cart-0/containers/app")
                                .header("ce-type", "dev.dumpflow.memory.threshold.crossed")
                                .header("ce-dumpid", "d-wiring")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(server.broker().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.received())
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo("wiring-1"));
    }

    @Test
    void answersTheDataPlaneStatusesOnItsOwnPort() throws Exception {
        URI unknown = server.ingress("dumpflow", "nope");
        assertThat(post(unknown, "x", "/s", "t").statusCode()).isEqualTo(404);
        assertThat(post(server.ingress("dumpflow", "dumpflow"), null, "/s", "t").statusCode())
                .isEqualTo(400);
        assertThat(
                        client.send(
                                        HttpRequest.newBuilder(
                                                        server.ingress("dumpflow", "dumpflow"))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                .isEqualTo(405);
    }

    @Test
    void takesDumpflowEventsMaxBytesFromTheVariableThatSetsItForTheFunctions() {
        assertThat(LocalBrokerConfig.fromEnv(Map.of()).maxEventBytes()).isEqualTo(8 << 20);
        assertThat(
                        LocalBrokerConfig.fromEnv(Map.of("DUMPFLOW_EVENTS_MAX_BYTES", "1048576"))
                                .maxEventBytes())
                .isEqualTo(1 << 20);
        assertThatThrownBy(
                        () -> LocalBrokerConfig.fromEnv(Map.of("DUMPFLOW_EVENTS_MAX_BYTES", "8M")))
                .hasMessageContaining("DUMPFLOW_EVENTS_MAX_BYTES=8M");
    }

    @Test
    void namesTheVariableAndTheAcceptedFormOfAMalformedSetting() {
        assertThatThrownBy(
                        () -> LocalBrokerConfig.fromEnv(Map.of("DUMPFLOW_BROKER_PORT", "eighty")))
                .hasMessageContaining("DUMPFLOW_BROKER_PORT=eighty");
        assertThatThrownBy(
                        () ->
                                LocalBrokerConfig.fromEnv(
                                        Map.of("DUMPFLOW_BROKER_DELIVERY_TIMEOUT", "15m")))
                .hasMessageContaining("PT15M");
        assertThat(LocalBrokerConfig.fromEnv(Map.of()).journal()).isEqualTo(Optional.empty());
        assertThat(LocalBrokerConfig.fromEnv(Map.of()).manifests()).isEqualTo(Path.of("knative"));
    }

    private HttpResponse<String> post(URI uri, String id, String source, String type)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .header("ce-specversion", "1.0")
                        .header("ce-source", source)
                        .header("ce-type", type)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (id != null) {
            request.header("ce-id", id);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
