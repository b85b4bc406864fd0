package dev.dumpflow.localstack.broker;

import static dev.dumpflow.localstack.broker.TestManifests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.localstack.broker.RecordingSubscriber.Answer;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounds, precedence of delivery specs, and manifests the broker refuses to run with. */
class LocalBrokerLimitsTest extends BrokerTestBase {

    @Test
    void answersOverloadedWhenTheDeliveryBoundIsReached() throws Exception {
        new TestManifests(dir).broker(null).trigger("t", "# all", subscriber.url("/slow"));
        broker =
                new LocalBroker(
                        BrokerTopology.from(
                                KnativeManifests.load(dir),
                                subscriber.baseUrl(),
                                Duration.ofSeconds(10)),
                        8,
                        1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        subscriber.respond(
                "/slow",
                r -> {
                    arrived.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Answer.status(202);
                });

        assertThat(broker.accept("test", "b", event("a", "/s")))
                .isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.accept("test", "b", event("b", "/s")))
                .isEqualTo(LocalBroker.Admission.OVERLOADED);
        release.countDown();
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(broker.accept("test", "b", event("c", "/s")))
                .isEqualTo(LocalBroker.Admission.ACCEPTED);
    }

    @Test
    void usesTheTriggersOwnDeliverySpecOverTheBrokers() throws Exception {
        new TestManifests(dir)
                .broker("retry: 0\nbackoffDelay: PT0S")
                .trigger(
                        "t",
                        """
                        filters:
                          - exact:
                              type: x
                        delivery:
                          retry: 2
                          backoffPolicy: linear
                          backoffDelay: PT0.01S
                        """,
                        subscriber.url("/sub"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);
        subscriber.respond("/sub", r -> Answer.status(503));

        broker.accept("test", "b", event("x", "/s"));
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(subscriber.receivedAt("/sub")).hasSize(3);
    }

    @Test
    void dropsAnEventWhoseHopCounterIsSpent() throws Exception {
        new TestManifests(dir).broker(null).trigger("t", "# all", subscriber.url("/sub"));
        broker = new TestManifests(dir).broker(subscriber.baseUrl(), 8);

        var spent =
                CloudEventBuilder.from(event("x", "/s"))
                        .withExtension(HopLimit.EXTENSION, 0)
                        .build();
        assertThat(broker.accept("test", "b", spent)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(subscriber.received()).isEmpty();
    }

    @Test
    void refusesManifestsItCannotHonourNamingTheTrigger() throws IOException {
        new TestManifests(dir)
                .broker("backoffPolicy: fibonacci")
                .trigger("t", "# all", subscriber.url("/sub"));

        assertThatThrownBy(() -> new TestManifests(dir).broker(subscriber.baseUrl(), 8))
                .hasMessageContaining("Trigger test/t")
                .hasMessageContaining("linear or exponential");
    }

    @Test
    void refusesATriggerOfABrokerTheManifestsDoNotDefine(@TempDir Path other) throws IOException {
        new TestManifests(other).trigger("orphan", "# all", subscriber.url("/sub"));

        assertThatThrownBy(() -> new TestManifests(other).broker(subscriber.baseUrl(), 8))
                .hasMessageContaining("Trigger test/orphan")
                .hasMessageContaining("test/b is not defined");
    }

    @Test
    void refusesABackoffDelayThatIsNoIso8601Duration() {
        var spec = new io.fabric8.knative.duck.v1.DeliverySpec();
        spec.setBackoffDelay("2s");

        assertThatThrownBy(
                        () ->
                                DeliveryPolicy.from(
                                        spec, java.util.Optional.empty(), Duration.ofSeconds(1)))
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("2s");
    }
}
