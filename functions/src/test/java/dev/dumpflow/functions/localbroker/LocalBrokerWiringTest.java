package dev.dumpflow.functions.localbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local broker inside the functions' Quarkus application, switched on by configuration and
 * routing by the real knative/ manifests, ahead of Funqy's own routes.
 */
@QuarkusTest
@TestProfile(LocalBrokerWiringTest.Enabled.class)
@QuarkusTestResource(
        value = LocalBrokerWiringTest.Subscriber.class,
        restrictToAnnotatedClass = true)
class LocalBrokerWiringTest {

    /** Turns the local broker on, over the repository's knative/ directory. */
    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "dumpflow.local-broker.enabled", "true",
                    "dumpflow.local-broker.manifests", "../knative",
                    // Other builds share this machine: a random port, and no Docker dev services.
                    "quarkus.http.test-port", "0",
                    "quarkus.devservices.enabled", "false");
        }
    }

    /** A recording subscriber standing in for the functions, so that deliveries are observed. */
    public static class Subscriber implements QuarkusTestResourceLifecycleManager {
        static RecordingSubscriber recorder;

        @Override
        public Map<String, String> start() {
            try {
                recorder = new RecordingSubscriber();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("dumpflow.local-broker.subscriber-url", recorder.baseUrl().toString());
        }

        @Override
        public void stop() {
            recorder.close();
        }
    }

    @Test
    void acceptsAnEventAtTheBrokersIngressAndDeliversItByTheRealTriggers() throws Exception {
        given().header("ce-specversion", "1.0")
                .header("ce-id", "wiring-1")
                .header("ce-source", "/namespaces/shop/pods/cart-0/containers/app")
                .header("ce-type", "dev.dumpflow.memory.threshold.crossed")
                .header("ce-dumpid", "d-wiring")
                .contentType("application/json")
                .body("{}")
                .post("/brokers/dumpflow/dumpflow")
                .then()
                .statusCode(202);

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Subscriber.recorder.received().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(10);
        }
        assertThat(Subscriber.recorder.received())
                .singleElement()
                .satisfies(r -> assertThat(r.ceId()).isEqualTo("wiring-1"));
    }

    @Test
    void answersTheDataPlaneStatusesInsideTheApplication() {
        given().header("ce-specversion", "1.0")
                .header("ce-id", "x")
                .header("ce-source", "/s")
                .header("ce-type", "t")
                .body("{}")
                .post("/brokers/dumpflow/nope")
                .then()
                .statusCode(404);
        given().header("ce-specversion", "1.0")
                .header("ce-source", "/s")
                .body("{}")
                .post("/brokers/dumpflow/dumpflow")
                .then()
                .statusCode(400);
        given().get("/brokers/dumpflow/dumpflow").then().statusCode(405);
    }
}
