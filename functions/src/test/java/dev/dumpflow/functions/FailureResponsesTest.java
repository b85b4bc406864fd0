package dev.dumpflow.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Refusals the Knative data plane must not retry are answered with a status it does not retry. */
@QuarkusTest
class FailureResponsesTest {

    @Test
    void anEventOfATypeNoFunctionTakesIsAnswered400NotTheRetried404() {
        given().header("ce-id", "1")
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", "dev.dumpflow.dump.eaten")
                .contentType("application/json")
                .body("{}")
                .post("/")
                .then()
                .statusCode(400)
                .body(containsString("BAD_EVENT"));
    }

    @Test
    void aStructuredEventOfAnUnknownTypeIsAnswered400Too() {
        given().contentType("application/cloudevents+json")
                .body(
                        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/test\","
                                + "\"type\":\"com.example.other\",\"datacontenttype\":"
                                + "\"application/json\",\"data\":{}}")
                .post("/")
                .then()
                .statusCode(400);
    }
}
