package dev.dumpflow.localstack.broker;

import static dev.dumpflow.localstack.broker.TestManifests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each filter kind of a Trigger, through real HTTP delivery to a recording subscriber. */
class LocalBrokerFilterTest extends BrokerTestBase {

    @Test
    void routesOnTheExactAttributesOfTheLegacyFilter() throws Exception {
        route(
                """
                filter:
                  attributes:
                    type: dev.dumpflow.dump.closed
                    source: /namespaces/a/pods/p/containers/c
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.closed", "/namespaces/a/pods/p/containers/c"),
                        event("dev.dumpflow.dump.closed", "/namespaces/b/pods/p/containers/c"),
                        event("dev.dumpflow.dump.archived", "/namespaces/a/pods/p/containers/c"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void anEmptyLegacyAttributeValueMatchesAnyValueButNotAnAbsentAttribute() throws Exception {
        route(
                """
                filter:
                  attributes:
                    type: dev.dumpflow.dump.closed
                    team: ""
                """);
        CloudEvent withTeam =
                io.cloudevents.core.builder.CloudEventBuilder.from(
                                event("dev.dumpflow.dump.closed", "/s"))
                        .withExtension("team", "payments")
                        .build();
        List<String> ids = send(withTeam, event("dev.dumpflow.dump.closed", "/s"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void routesOnAnExtensionAttribute() throws Exception {
        route(
                """
                filters:
                  - exact:
                      dumpid: d-42
                """);
        CloudEvent wanted =
                io.cloudevents.core.builder.CloudEventBuilder.from(event("t", "/s"))
                        .withExtension("dumpid", "d-42")
                        .build();
        List<String> ids = send(wanted, event("t", "/s"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void routesOnTheExactDialect() throws Exception {
        route(
                """
                filters:
                  - exact:
                      type: dev.dumpflow.dump.indexed
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.indexed", "/dumpflow/index"),
                        event("dev.dumpflow.dump.indexed.v2", "/dumpflow/index"),
                        event("DEV.DUMPFLOW.DUMP.INDEXED", "/dumpflow/index"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void routesOnThePrefixDialect() throws Exception {
        route(
                """
                filters:
                  - prefix:
                      type: dev.dumpflow.dump.
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.closed", "/s"),
                        event("dev.dumpflow.memory.threshold.crossed", "/s"),
                        event("dev.dumpflow.dump.failed", "/s"));
        assertThat(deliveredIds()).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
    }

    @Test
    void routesOnTheSuffixDialect() throws Exception {
        route(
                """
                filters:
                  - suffix:
                      source: /containers/app
                """);
        List<String> ids =
                send(
                        event("t", "/namespaces/a/pods/p/containers/app"),
                        event("t", "/namespaces/a/pods/p/containers/app-sidecar"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void routesOnlyWhenAllExpressionsHold() throws Exception {
        route(
                """
                filters:
                  - all:
                      - prefix:
                          type: dev.dumpflow.
                      - suffix:
                          type: .failed
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.failed", "/s"),
                        event("dev.dumpflow.dump.closed", "/s"),
                        event("other.failed", "/s"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void routesWhenAnyExpressionHolds() throws Exception {
        route(
                """
                filters:
                  - any:
                      - exact:
                          type: dev.dumpflow.dump.indexed
                      - exact:
                          type: dev.dumpflow.memory.threshold.crossed
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.indexed", "/s"),
                        event("dev.dumpflow.memory.threshold.crossed", "/s"),
                        event("dev.dumpflow.dump.closed", "/s"));
        assertThat(deliveredIds()).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    }

    @Test
    void routesWhenTheNegatedExpressionFails() throws Exception {
        route(
                """
                filters:
                  - prefix:
                      type: dev.dumpflow.
                  - not:
                      exact:
                        type: dev.dumpflow.dump.closed
                """);
        List<String> ids =
                send(
                        event("dev.dumpflow.dump.closed", "/s"),
                        event("dev.dumpflow.dump.archived", "/s"),
                        event("com.example.other", "/s"));
        assertThat(deliveredIds()).containsExactly(ids.get(1));
    }

    @Test
    void ignoresTheLegacyAttributesWhenNewFiltersAreGiven() throws Exception {
        route(
                """
                filter:
                  attributes:
                    type: never.sent
                filters:
                  - exact:
                      type: dev.dumpflow.dump.closed
                """);
        List<String> ids = send(event("dev.dumpflow.dump.closed", "/s"));
        assertThat(deliveredIds()).containsExactly(ids.get(0));
    }

    @Test
    void deliversEveryEventToATriggerWithoutFilter() throws Exception {
        route("# no filter at all");
        List<String> ids = send(event("a", "/s"), event("b", "/s"));
        assertThat(deliveredIds()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void refusesTheCesqlDialectAtLoadRatherThanMisroute() throws IOException {
        new TestManifests(dir)
                .broker(null)
                .trigger("t", "filters:\n  - cesql: \"type = 'x'\"", subscriber.url("/sub"));
        assertThatThrownBy(
                        () ->
                                BrokerTopology.from(
                                        KnativeManifests.load(dir),
                                        subscriber.baseUrl(),
                                        Duration.ofSeconds(1)))
                .hasMessageContaining("Trigger test/t")
                .hasMessageContaining("cesql");
    }

    private void route(String filter) throws IOException {
        broker =
                new TestManifests(dir)
                        .broker(null)
                        .trigger("t", filter, subscriber.url("/sub"))
                        .broker(subscriber.baseUrl(), 8);
    }

    private List<String> send(CloudEvent... events) throws InterruptedException {
        for (CloudEvent e : events) {
            assertThat(broker.accept("test", "b", e)).isEqualTo(LocalBroker.Admission.ACCEPTED);
        }
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return java.util.Arrays.stream(events).map(CloudEvent::getId).toList();
    }

    private List<String> deliveredIds() {
        return subscriber.receivedAt("/sub").stream()
                .map(RecordingSubscriber.Received::ceId)
                .toList();
    }
}
