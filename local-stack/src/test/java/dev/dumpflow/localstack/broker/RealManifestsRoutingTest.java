package dev.dumpflow.localstack.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.localstack.broker.BrokerTopology.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The local broker loaded from the real knative/ directory routes the contract as designed. */
class RealManifestsRoutingTest {

    static final Path KNATIVE = Path.of("..", "knative");

    private RecordingSubscriber functions;
    private LocalBroker broker;

    @BeforeEach
    void start() throws Exception {
        functions = new RecordingSubscriber();
        broker =
                new LocalBroker(
                        BrokerTopology.from(
                                KnativeManifests.load(KNATIVE),
                                functions.baseUrl(),
                                Duration.ofSeconds(5)),
                        16,
                        64);
    }

    @AfterEach
    void stop() {
        broker.close();
        functions.close();
    }

    /** dumpflow's own types, and those of Knative's sources that its Triggers route. */
    static List<String> contractTypes() {
        return java.util.stream.Stream.concat(
                        EventTypes.ALL.stream(), EventTypes.FROM_KNATIVE_SOURCES.stream())
                .toList();
    }

    @ParameterizedTest
    @MethodSource("contractTypes")
    void routesEachContractTypeOnceToTheFunctionsRoot(String type) throws Exception {
        var event = TestManifests.event(type, "/dumpflow/test");

        assertThat(broker.accept("dumpflow", "dumpflow", event))
                .isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // Funqy picks the function by ce-type at "/", so every Trigger posts there.
        assertThat(functions.received())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.path()).isEqualTo("/");
                            assertThat(r.ceType()).isEqualTo(type);
                            assertThat(r.ceId()).isEqualTo(event.getId());
                        });
    }

    @Test
    void dropsATypeOutsideTheContract() throws Exception {
        var event = TestManifests.event("dev.dumpflow.dump.closedx", "/s");

        assertThat(broker.accept("dumpflow", "dumpflow", event))
                .isEqualTo(LocalBroker.Admission.ACCEPTED);
        assertThat(broker.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(functions.received()).isEmpty();
    }

    @Test
    void loadsTheManifestsWithTheApiServerSourceItDoesNotEmulate() {
        // The pod watcher is a cluster's source; locally its events are posted by hand or by a
        // test, and the broker routes them by the same Triggers.
        assertThat(
                        KnativeManifests.load(KNATIVE).resources().stream()
                                .map(r -> r.getKind())
                                .toList())
                .contains("ApiServerSource", "Role", "RoleBinding");
    }

    @Test
    void appliesTheBrokersDeliverySpecToEveryTrigger() {
        var routes = broker.topology().broker("dumpflow", "dumpflow").orElseThrow();

        assertThat(routes.subscriptions()).hasSize(contractTypes().size());
        for (Subscription s : routes.subscriptions()) {
            assertThat(s.delivery().retry()).isEqualTo(5);
            assertThat(s.delivery().backoff()).isEqualTo(DeliveryPolicy.Backoff.EXPONENTIAL);
            assertThat(s.delivery().backoffDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(s.delivery().deadLetterSink()).hasValue(functions.url("/dead-letter"));
        }
    }
}
