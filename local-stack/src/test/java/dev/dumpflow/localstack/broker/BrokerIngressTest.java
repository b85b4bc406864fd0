package dev.dumpflow.localstack.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingress's answers, as the Knative data-plane contract says, over a real HTTP server. */
class BrokerIngressTest {

    @TempDir Path dir;
    private RecordingSubscriber subscriber;
    private LocalBroker broker;
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        subscriber = new RecordingSubscriber();
        new TestManifests(dir).broker(null).trigger("all", "# every event", subscriber.url("/sub"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        BrokerIngress.install(server, broker, LocalBrokerConfig.DEFAULT_MAX_EVENT_BYTES);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
        server.stop(0);
        subscriber.close();
    }

    @Test
    void acceptsABinaryEventWith202AndDeliversIt() throws Exception {
        HttpResponse<String> response = post("/brokers/test/b", binary("id-1"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.receivedAt("/sub"))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.ceId()).isEqualTo("id-1");
                            assertThat(r.header("ce-dumpid")).isEqualTo("d-1");
                            assertThat(r.body()).isEqualTo("{\"a\":1}");
                        });
    }

    @Test
    void acceptsAStructuredEventWith202AndDeliversIt() throws Exception {
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        HttpRequest.newBuilder()
                                .header("Content-Type", "application/cloudevents+json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                """
                                                {"specversion":"1.0","id":"id-2","source":"/s",
                                                 "type":"dev.dumpflow.dump.closed",
                                                 "datacontenttype":"application/json","data":{"a":2}}
                                                """)));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.receivedAt("/sub"))
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo("id-2"));
    }

    @Test
    void refusesAnEventWithoutIdWith400AndDeliversNothing() throws Exception {
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        HttpRequest.newBuilder()
                                .header("ce-specversion", "1.0")
                                .header("ce-source", "/s")
                                .header("ce-type", "t")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("id");
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void refusesARequestThatIsNoCloudEventWith400() throws Exception {
        HttpResponse<String> plain =
                post(
                        "/brokers/test/b",
                        HttpRequest.newBuilder()
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));
        HttpResponse<String> brokenStructured =
                post(
                        "/brokers/test/b",
                        HttpRequest.newBuilder()
                                .header("Content-Type", "application/cloudevents+json")
                                .POST(HttpRequest.BodyPublishers.ofString("{not json")));

        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(brokenStructured.statusCode()).isEqualTo(400);
    }

    @Test
    void refusesAnEventWhoseAttributesHoldControlCharactersWith400() throws Exception {
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        HttpRequest.newBuilder()
                                .header("Content-Type", "application/cloudevents+json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                """
                                                {"specversion":"1.0","id":"id-9\\n2026 INFO forged",
                                                 "source":"/s","type":"dev.dumpflow.dump.closed",
                                                 "dumpid":"d\\u001b[2J","data":{}}
                                                """)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'id'", "U+000A", "CloudEvents forbids");
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void answers404ToAPathWhoseSegmentsNoKubernetesObjectIsNamed() throws Exception {
        assertThat(post("/brokers/te%0Ast/b", binary("id-10")).statusCode()).isEqualTo(404);
        assertThat(post("/brokers/Test/b", binary("id-11")).statusCode()).isEqualTo(404);
    }

    @Test
    void answers404ForABrokerTheManifestsDoNotDefine() throws Exception {
        assertThat(post("/brokers/test/other", binary("id-3")).statusCode()).isEqualTo(404);
        assertThat(post("/brokers/elsewhere/b", binary("id-4")).statusCode()).isEqualTo(404);
    }

    @Test
    void answers405ToAMethodOtherThanPost() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(url("/brokers/test/b")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void refusesANineMebibyteEventWith413NamingDumpflowEventsMaxBytesAndDeliversNothing()
            throws Exception {
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        binary("id-5").POST(HttpRequest.BodyPublishers.ofString(json(9 << 20))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("dumpflow.events.max-bytes (8388608)");
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void refusesAChunkedBodyPastTheLimitWith413() throws Exception {
        byte[] body = json(9 << 20).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        binary("id-6")
                                .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(body))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("more than 8388608 bytes");
        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void answers413ToADeclaredLengthPastTheLimitBeforeReadingTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            // Headers only: the 9 MiB the length announces are never sent, so an ingress that
            // waited for them before answering would time out here.
            socket.getOutputStream()
                    .write(
                            ("POST /brokers/test/b HTTP/1.1\r\n"
                                            + "Host: 127.0.0.1\r\n"
                                            + "ce-specversion: 1.0\r\n"
                                            + "ce-id: id-7\r\n"
                                            + "ce-source: /s\r\n"
                                            + "ce-type: dev.dumpflow.dump.closed\r\n"
                                            + "Content-Type: application/json\r\n"
                                            + "Content-Length: "
                                            + (9 << 20)
                                            + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine =
                    new BufferedReader(
                                    new InputStreamReader(
                                            socket.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();

            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void acceptsAnEventOfTwoMebibytesWhichTheFunctionsTakeToo() throws Exception {
        HttpResponse<String> response =
                post(
                        "/brokers/test/b",
                        binary("id-8").POST(HttpRequest.BodyPublishers.ofString(json(2 << 20))));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(subscriber.receivedAt("/sub")).hasSize(1);
    }

    /** A JSON object of {@code bytes} bytes. */
    private static String json(int bytes) {
        return "{\"a\":\"" + "x".repeat(bytes - 8) + "\"}";
    }

    private HttpRequest.Builder binary(String id) {
        return HttpRequest.newBuilder()
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/namespaces/a/pods/p/containers/app")
                .header("ce-type", "dev.dumpflow.dump.closed")
                .header("ce-dumpid", "d-1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"));
    }

    private HttpResponse<String> post(String path, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return client.send(request.uri(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
