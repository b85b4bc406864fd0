package dev.dumpflow.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Values that can never succeed are answered 400 with the reason, which the Broker does not retry,
 * by every function alike: the records of {@code events/} refuse them when Funqy binds the data.
 * What an attacker once got instead: 500 for a far-future {@code closedAt}, 503 (retried until
 * dead-lettered) for a namespace of 1,000 characters, and a newline in a pod name let through.
 */
@QuarkusTest
class ValuesThatCanNeverSucceedTest {

    @Inject ObjectMapper json;

    @Test
    void aClosedAtInTheYear1000000000IsAnswered400WithTheWindowAsTheReason() {
        ObjectNode closed = json.valueToTree(Samples.dumpClosed());
        closed.put("closedAt", "+1000000000-12-31T23:59:59Z");

        Response reply = binary(EventTypes.DUMP_CLOSED, closed);

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.jsonPath().getString("message"))
                .contains("closedAt must lie between 1970-01-01T00:00:00Z and 9999-12-31");
    }

    @Test
    void aNamespaceOfAThousandCharactersIsAnswered400ByEveryFunction() {
        for (Map.Entry<String, Object> sample : Samples.byType().entrySet()) {
            ObjectNode data = json.valueToTree(sample.getValue());
            ObjectNode pod =
                    (ObjectNode)
                            (data.has("pod") ? data.get("pod") : data.get("record").get("pod"));
            pod.put("namespace", "n".repeat(1000));

            Response reply = binary(sample.getKey(), data);

            assertThat(reply.statusCode()).as(sample.getKey()).isEqualTo(400);
            assertThat(reply.jsonPath().getString("message"))
                    .as(sample.getKey())
                    .contains("pod.namespace must be a DNS-1123 label", "at most 63 characters")
                    .doesNotContain("n".repeat(100));
        }
    }

    @Test
    void aNewlineInAPodNameIsAnswered400InBinaryAndStructuredMode() {
        ObjectNode closed = json.valueToTree(Samples.dumpClosed());
        ((ObjectNode) closed.get("pod")).put("name", "checkout-0\n2026-12-07 INFO forged line");
        ObjectNode event =
                json.createObjectNode()
                        .put("specversion", "1.0")
                        .put("id", UUID.randomUUID().toString())
                        .put("source", "/namespaces/shop/pods/checkout-0/containers/app")
                        .put("type", EventTypes.DUMP_CLOSED)
                        .put("datacontenttype", "application/json");
        event.set("data", closed);

        for (Response reply :
                List.of(
                        binary(EventTypes.DUMP_CLOSED, closed),
                        given().contentType("application/cloudevents+json")
                                .body(event.toString())
                                .post("/")
                                .andReturn())) {
            assertThat(reply.statusCode()).isEqualTo(400);
            assertThat(reply.jsonPath().getString("message"))
                    .contains("pod.name must be a DNS-1123 subdomain")
                    .doesNotContain("\n");
        }
    }

    @Test
    void aDeadLetterOverDumpflowEventsMaxBytesIsAnswered413() {
        ObjectNode closed = json.valueToTree(Samples.dumpClosed());
        closed.put("padding", "x".repeat(9 << 20));

        Response reply =
                given().header("ce-specversion", "1.0")
                        .header("ce-id", UUID.randomUUID().toString())
                        .header("ce-source", "/namespaces/shop/pods/checkout-0/containers/app")
                        .header("ce-type", EventTypes.DUMP_CLOSED)
                        .header("ce-knativeerrorcode", "503")
                        .contentType("application/json")
                        .body(closed.toString())
                        .post("/dead-letter")
                        .andReturn();

        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.jsonPath().getString("message")).contains("dumpflow.events.max-bytes");
    }

    private static Response binary(String type, ObjectNode data) {
        return given().header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "/namespaces/shop/pods/checkout-0/containers/app")
                .header("ce-type", type)
                .contentType("application/json")
                .body(data.toString())
                .post("/")
                .andReturn();
    }
}
