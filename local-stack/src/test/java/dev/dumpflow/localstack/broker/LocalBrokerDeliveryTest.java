package dev.dumpflow.localstack.broker;

import static dev.dumpflow.localstack.broker.TestManifests.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.localstack.broker.RecordingSubscriber.Answer;
import dev.dumpflow.localstack.broker.RecordingSubscriber.Received;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retries, backoff, dead-lettering, replies and the hop limit, over real HTTP. */
class LocalBrokerDeliveryTest extends BrokerTestBase {

    private static final String TYPE = "dev.dumpflow.dump.closed";

    @Test
    void retriesAServerErrorWithExponentialBackoffThenDeadLettersWithTheErrorExtensions()
            throws Exception {
        start(delivery(2, "exponential", "PT0.1S"), typeFilter(TYPE), "/archive");
        subscriber.respond("/archive", r -> Answer.status(503, "S3 is down"));

        CloudEvent sent = event(TYPE, "/namespaces/a/pods/p/containers/app");
        deliver(sent);

        List<Received> attempts = subscriber.receivedAt("/archive");
        assertThat(attempts).hasSize(3).allMatch(r -> r.ceId().equals(sent.getId()));
        // Retry n waits backoffDelay x 2^n: 200 ms, then 400 ms.
        assertThat(gapMillis(attempts, 0)).isGreaterThanOrEqualTo(200);
        assertThat(gapMillis(attempts, 1)).isGreaterThanOrEqualTo(400);
        List<Received> dead = subscriber.receivedAt("/dead-letter");
        assertThat(dead).hasSize(1);
        Received letter = dead.getFirst();
        assertThat(letter.ceId()).isEqualTo(sent.getId());
        assertThat(letter.ceType()).isEqualTo(TYPE);
        assertThat(letter.header("ce-dumpid")).isEqualTo(sent.getExtension("dumpid"));
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("503");
        assertThat(letter.header("ce-knativeerrordest"))
                .isEqualTo(subscriber.url("/archive").toString());
        assertThat(decode(letter.header("ce-knativeerrordata"))).isEqualTo("S3 is down");
        assertThat(letter.body()).isEqualTo("{\"n\":1}");
    }

    @Test
    void waitsLinearlyGrowingDelaysWithTheLinearPolicy() throws Exception {
        start(delivery(2, "linear", "PT0.2S"), typeFilter(TYPE), "/archive");
        subscriber.respond("/archive", r -> Answer.status(500));

        deliver(event(TYPE, "/s"));

        List<Received> attempts = subscriber.receivedAt("/archive");
        assertThat(attempts).hasSize(3);
        assertThat(gapMillis(attempts, 0)).isBetween(200L, 390L);
        assertThat(gapMillis(attempts, 1)).isGreaterThanOrEqualTo(400);
        assertThat(subscriber.receivedAt("/dead-letter").getFirst().header("ce-knativeerrorcode"))
                .isEqualTo("500");
    }

    @Test
    void retriesEveryRetryableStatusOfTheDataPlaneContract() throws Exception {
        start(delivery(5, "linear", "PT0S"), typeFilter(TYPE), "/archive");
        subscriber.script(
                "/archive",
                Answer.status(404),
                Answer.status(408),
                Answer.status(409),
                Answer.status(429),
                Answer.status(502));

        deliver(event(TYPE, "/s"));

        assertThat(subscriber.receivedAt("/archive")).hasSize(6);
        assertThat(subscriber.receivedAt("/dead-letter")).isEmpty();
    }

    @Test
    void deadLettersANonRetryableStatusAtOnce() throws Exception {
        start(delivery(3, "exponential", "PT1S"), typeFilter(TYPE), "/archive");
        subscriber.respond("/archive", r -> Answer.status(422, "dump gone for good"));

        deliver(event(TYPE, "/s"));

        assertThat(subscriber.receivedAt("/archive")).hasSize(1);
        Received letter = subscriber.receivedAt("/dead-letter").getFirst();
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("422");
        assertThat(decode(letter.header("ce-knativeerrordata"))).isEqualTo("dump gone for good");
    }

    @Test
    void retriesAConnectionErrorAndDeadLettersItAsA500() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/gone");
        }
        new TestManifests(dir)
                .broker(delivery(1, "linear", "PT0.01S"))
                .trigger("t", typeFilter(TYPE), closed);
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);

        deliver(event(TYPE, "/s"));

        Received letter = subscriber.receivedAt("/dead-letter").getFirst();
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("500");
        assertThat(letter.header("ce-knativeerrordest")).isEqualTo(closed.toString());
        assertThat(decode(letter.header("ce-knativeerrordata"))).startsWith("dispatch error:");
    }

    @Test
    void stopsRetryingOnceTheSubscriberRecovers() throws Exception {
        start(delivery(3, "linear", "PT0.01S"), typeFilter(TYPE), "/archive");
        subscriber.script("/archive", Answer.status(503), Answer.status(202));

        deliver(event(TYPE, "/s"));

        assertThat(subscriber.receivedAt("/archive")).hasSize(2);
        assertThat(subscriber.receivedAt("/dead-letter")).isEmpty();
    }

    @Test
    void routesABinaryReplyEventBackThroughTheTriggers() throws Exception {
        new TestManifests(dir)
                .broker(null)
                .trigger("archive", typeFilter(TYPE), subscriber.url("/archive"))
                .trigger(
                        "index",
                        typeFilter("dev.dumpflow.dump.archived"),
                        subscriber.url("/index"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
        subscriber.respond(
                "/archive",
                r ->
                        new Answer(
                                200,
                                Map.of(
                                        "ce-specversion", "1.0",
                                        "ce-id", "reply-1",
                                        "ce-source", "/dumpflow/archive",
                                        "ce-type", "dev.dumpflow.dump.archived",
                                        "ce-dumpid", r.header("ce-dumpid"),
                                        "Content-Type", "application/json"),
                                "{\"stored\":true}"));

        CloudEvent sent = event(TYPE, "/s");
        deliver(sent);

        Received archive = subscriber.receivedAt("/archive").getFirst();
        assertThat(archive.header("prefer")).isEqualTo("reply");
        assertThat(archive.header("ce-knativebrokerttl")).isNull();
        List<Received> index = subscriber.receivedAt("/index");
        assertThat(index).hasSize(1);
        assertThat(index.getFirst().ceId()).isEqualTo("reply-1");
        assertThat(index.getFirst().header("ce-dumpid")).isEqualTo(sent.getExtension("dumpid"));
        assertThat(index.getFirst().body()).isEqualTo("{\"stored\":true}");
    }

    @Test
    void routesAStructuredReplyEventBackThroughTheTriggers() throws Exception {
        new TestManifests(dir)
                .broker(null)
                .trigger("archive", typeFilter(TYPE), subscriber.url("/archive"))
                .trigger(
                        "index",
                        typeFilter("dev.dumpflow.dump.archived"),
                        subscriber.url("/index"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
        subscriber.respond(
                "/archive",
                r ->
                        new Answer(
                                200,
                                Map.of("Content-Type", "application/cloudevents+json"),
                                """
                                {"specversion":"1.0","id":"reply-2","source":"/dumpflow/archive",
                                 "type":"dev.dumpflow.dump.archived","datacontenttype":"application/json",
                                 "data":{"stored":true}}
                                """));

        deliver(event(TYPE, "/s"));

        assertThat(subscriber.receivedAt("/index"))
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo("reply-2"));
    }

    @Test
    void stopsAReplyLoopAtTheHopLimit() throws Exception {
        new TestManifests(dir)
                .broker(null)
                .trigger("loop", typeFilter("loop"), subscriber.url("/echo"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 4);
        subscriber.respond(
                "/echo",
                r ->
                        new Answer(
                                200,
                                Map.of(
                                        "ce-specversion", "1.0",
                                        "ce-id", r.ceId() + "+",
                                        "ce-source", "/echo",
                                        "ce-type", "loop"),
                                ""));

        deliver(event("loop", "/s"));

        assertThat(subscriber.receivedAt("/echo")).hasSize(4);
    }

    @Test
    void dropsTheDeadLetterSinksReplyAsKnativeDoes() throws Exception {
        new TestManifests(dir)
                .broker(delivery(0, "linear", "PT0S"))
                .trigger("archive", typeFilter(TYPE), subscriber.url("/archive"))
                .trigger(
                        "failed",
                        typeFilter("dev.dumpflow.dump.failed"),
                        subscriber.url("/notify"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
        subscriber.respond("/archive", r -> Answer.status(500));
        subscriber.respond(
                "/dead-letter",
                r ->
                        new Answer(
                                200,
                                Map.of(
                                        "ce-specversion", "1.0",
                                        "ce-id", "failed-1",
                                        "ce-source", "/dumpflow/dead-letter",
                                        "ce-type", "dev.dumpflow.dump.failed"),
                                ""));

        deliver(event(TYPE, "/s"));

        assertThat(subscriber.receivedAt("/dead-letter")).hasSize(1);
        assertThat(subscriber.receivedAt("/notify")).isEmpty();
    }

    private void start(String delivery, String filter, String path) throws IOException {
        new TestManifests(dir).broker(delivery).trigger("t", filter, subscriber.url(path));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
    }

    /** A delivery spec whose dead-letter sink is the recording subscriber's /dead-letter. */
    private String delivery(int retry, String policy, String delay) {
        return """
                retry: %d
                backoffPolicy: %s
                backoffDelay: %s
                deadLetterSink:
                  uri: %s
                """
                .formatted(retry, policy, delay, subscriber.url("/dead-letter"));
    }

    private static String typeFilter(String type) {
        return "filters:\n  - exact:\n      type: " + type;
    }

    private void deliver(CloudEvent event) throws InterruptedException {
        assertThat(broker.accept("test", "b", event)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(20))).isTrue();
    }

    private static long gapMillis(List<Received> attempts, int i) {
        return (attempts.get(i + 1).nanoTime() - attempts.get(i).nanoTime()) / 1_000_000;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
