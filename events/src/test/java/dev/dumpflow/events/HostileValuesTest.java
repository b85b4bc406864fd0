package dev.dumpflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values that can never succeed are refused by the records themselves, with a reason, so that every
 * reader of an event (each function, the dead-letter handler, the sidecar) refuses them alike; free
 * text stays free.
 */
class HostileValuesTest {

    private static final ObjectMapper JSON = SchemaContractTest.JSON;

    @Test
    void aClosedAtPastTheYear9999IsRefusedWithTheWindowInTheReason() {
        ObjectNode closed = JSON.valueToTree(Samples.dumpClosed());
        closed.put("closedAt", "+1000000000-12-31T23:59:59Z");

        assertThatThrownBy(() -> JSON.treeToValue(closed, DumpClosed.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("closedAt must lie between 1970-01-01T00:00:00Z and")
                .hasMessageContaining("9999-12-31T23:59:59.999999999Z");
    }

    @Test
    void timesThatDoNotFitAnInstantAtAllAreRefusedAsBadJsonNotAsADateTimeException() {
        for (Object hostile :
                List.of(
                        "+1000000001-01-01T00:00:00Z",
                        "-1000000001-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z",
                        "0000-01-01T00:00:00Z",
                        1e30,
                        -1e30,
                        Long.MAX_VALUE,
                        Long.MIN_VALUE)) {
            ObjectNode closed = JSON.valueToTree(Samples.dumpClosed());
            ObjectNode fetch = (ObjectNode) closed.get("fetch");
            if (hostile instanceof String text) {
                closed.put("closedAt", text);
                fetch.put("expiresAt", text);
            } else {
                closed.putPOJO("closedAt", hostile);
                fetch.putPOJO("expiresAt", hostile);
            }
            assertThatThrownBy(
                            () -> JSON.readValue(JSON.writeValueAsBytes(closed), DumpClosed.class))
                    .as("%s", hostile)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void theEpochItselfIsInTheWindowAsTheSidecarsWarmUpEventUsesIt() {
        assertThatCode(
                        () ->
                                new FetchLocation(
                                        Samples.dumpClosed().fetch().url(),
                                        "warm-up",
                                        Instant.EPOCH))
                .doesNotThrowAnyException();
        assertThat(TimeWindow.contains(TimeWindow.LATEST)).isTrue();
        assertThat(TimeWindow.contains(TimeWindow.LATEST.plusNanos(1))).isFalse();
        assertThat(TimeWindow.contains(Instant.EPOCH.minusNanos(1))).isFalse();
    }

    @Test
    void aNamespaceLongerThanKubernetesAllowsIsRefusedWithItsLengthNotItsWholeText() {
        String thousand = "n".repeat(1000);

        assertThatThrownBy(() -> pod(thousand, "checkout-0", "app", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pod.namespace must be a DNS-1123 label")
                .hasMessageContaining("at most 63 characters")
                .hasMessageContaining("(1000 characters)")
                .hasMessageNotContaining(thousand);
        assertThatThrownBy(() -> pod("n".repeat(64), "checkout-0", "app", Map.of()))
                .hasMessageContaining("pod.namespace");
        assertThatCode(() -> pod("n".repeat(63), "checkout-0", "app", Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void namesKubernetesCouldNeverHoldAreRefused() {
        assertThatThrownBy(() -> pod("shop", "checkout\n-0", "app", Map.of()))
                .hasMessageContaining("pod.name must be a DNS-1123 subdomain")
                .hasMessageContaining("'checkout?-0'");
        assertThatThrownBy(() -> pod("shop", "p".repeat(254), "app", Map.of()))
                .hasMessageContaining("pod.name");
        assertThatThrownBy(() -> pod("Shop", "checkout-0", "app", Map.of()))
                .hasMessageContaining("pod.namespace");
        assertThatThrownBy(() -> pod("shop", "checkout-0", "c".repeat(64), Map.of()))
                .hasMessageContaining("pod.container");
        assertThatThrownBy(() -> pod("shop", "checkout-0", "app", Map.of("app", "v".repeat(64))))
                .hasMessageContaining("pod.labels['app']");
        assertThatThrownBy(() -> pod("shop", "checkout-0", "app", Map.of("a\u001b[2J", "x")))
                .hasMessageContaining("pod.labels keys");
        assertThatThrownBy(
                        () ->
                                new PodIdentity(
                                        "shop",
                                        "checkout-0",
                                        "uid\r\nX-Injected: 1",
                                        null,
                                        "app",
                                        null,
                                        Map.of()))
                .hasMessageContaining("pod.uid");
        assertThatThrownBy(() -> new PodIdentity.Workload("Deployment", "Check Out"))
                .hasMessageContaining("workload.name");
    }

    @Test
    void namesAsKubernetesAndTheDownwardApiGiveThemAreTaken() {
        assertThatCode(
                        () -> {
                            pod("n".repeat(63), "p".repeat(253), "c".repeat(63), Map.of());
                            pod(
                                    "kube-system",
                                    "coredns-5d78c9869d-abcde.part.two",
                                    "app",
                                    Map.of(
                                            "app.kubernetes.io/name", "v".repeat(63),
                                            "empty", "",
                                            "dumpflow.dev/enabled", "true"));
                            new PodIdentity.Workload("StatefulSet", "db");
                            Samples.byType();
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void identifiersWithControlCharactersAreRefusedAndATokenIsNeverQuoted() {
        DumpClosed c = Samples.dumpClosed();
        assertThatThrownBy(
                        () ->
                                new DumpClosed(
                                        c.dumpId(),
                                        "java_pid1.hprof\n",
                                        1,
                                        c.closedAt(),
                                        c.format(),
                                        c.cause(),
                                        null,
                                        c.fetch(),
                                        c.pod()))
                .hasMessageContaining("fileName must not hold control characters");
        assertThatThrownBy(
                        () ->
                                new DumpClosed(
                                        c.dumpId(),
                                        "../etc/passwd",
                                        1,
                                        c.closedAt(),
                                        c.format(),
                                        c.cause(),
                                        null,
                                        c.fetch(),
                                        c.pod()))
                .hasMessageContaining("fileName must be a file's name");
        String secret = "secret-token\r\nX-Other: 1";
        assertThatThrownBy(() -> new FetchLocation(c.fetch().url(), secret, c.closedAt()))
                .hasMessageContaining("fetch.token")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void freeTextFromDumpsAndProgramsMayHoldControlCharactersForTheSinksToEscape() {
        assertThatCode(
                        () -> {
                            new HeapSummary.ClassStat("com.evil.\r\n\u001b[31mRed", 1, 16);
                            MemoryThresholdCrossed s = Samples.thresholdCrossed();
                            new MemoryThresholdCrossed(
                                    s.pid(),
                                    "java -Dx=a\nb -jar app.jar",
                                    s.runtime(),
                                    s.rssBytes(),
                                    s.limitBytes(),
                                    s.thresholdBytes(),
                                    s.rule(),
                                    s.nextThresholdBytes(),
                                    s.captureSkipped(),
                                    s.pod());
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void theSchemasRefuseWhatTheRecordsRefuse() {
        ObjectNode longNamespace = JSON.valueToTree(Samples.dumpClosed());
        ((ObjectNode) longNamespace.get("pod")).put("namespace", "n".repeat(1000));
        ObjectNode newline = JSON.valueToTree(Samples.dumpClosed());
        ((ObjectNode) newline.get("pod")).put("name", "checkout\n-0");
        ObjectNode farFuture = JSON.valueToTree(Samples.dumpClosed());
        farFuture.put("closedAt", "+1000000000-12-31T23:59:59Z");
        ObjectNode controlInFileName = JSON.valueToTree(Samples.dumpClosed());
        controlInFileName.put("fileName", "a\u001bb");

        for (ObjectNode hostile : List.of(longNamespace, newline, farFuture, controlInFileName)) {
            assertThat(SchemaContractTest.validate(EventTypes.DUMP_CLOSED, hostile))
                    .as(hostile.toString())
                    .isNotEmpty();
        }
    }

    private static PodIdentity pod(
            String namespace, String name, String container, Map<String, String> labels) {
        return new PodIdentity(namespace, name, null, null, container, null, labels);
    }
}
