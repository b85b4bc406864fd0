package dev.dumpflow.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The gate before Funqy refuses what is no event, and leaves the other endpoints alone. */
@QuarkusTest
class EventGateTest {

    @Test
    void anEventWithABlankIdIsAnswered400BeforeAnyFunctionRuns() {
        given().header("ce-id", " ")
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", "dev.dumpflow.dump.closed")
                .contentType("application/json")
                .body("{}")
                .post("/")
                .then()
                .statusCode(400)
                .body(containsString("ce-id"));
    }

    @Test
    void aBodyOverTheLimitIsAnswered413() {
        given().header("ce-id", "1")
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", "dev.dumpflow.dump.closed")
                .contentType("application/json")
                .body("{\"fileName\":\"" + "x".repeat(9 << 20) + "\"}")
                .post("/")
                .then()
                .statusCode(413)
                .body(containsString("dumpflow.events.max-bytes"));
    }

    @Test
    void aGetIsAnswered405() {
        given().get("/archive").then().statusCode(405).header("Allow", "POST");
    }

    @Test
    void theDeadLetterPathIsNotCheckedByTheGate() {
        // The dead-letter route answers bad input itself; had the gate taken the request, both
        // paths
        // would carry the gate's very words.
        String gate =
                given().contentType("text/plain")
                        .body("not an event")
                        .post("/")
                        .then()
                        .statusCode(400)
                        .extract()
                        .path("message");
        given().contentType("text/plain")
                .body("not an event")
                .post("/dead-letter")
                .then()
                .statusCode(not(202))
                .body("message", not(gate));
    }

    @Test
    void theDownloadGateIsNotServedUnlessItIsEnabled() {
        given().header("Authorization", "Bearer any")
                .get("/api/dumps?namespace=default")
                .then()
                .statusCode(405);
    }

    @Test
    void quarkusEndpointsAreNotCheckedByTheGate() {
        given().get("/q/no-such-endpoint").then().statusCode(404);
    }
}
