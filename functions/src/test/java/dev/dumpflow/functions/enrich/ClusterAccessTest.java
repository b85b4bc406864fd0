package dev.dumpflow.functions.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.functions.LogCapture;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server answering 403 as an API server does for a missing RBAC rule. */
class ClusterAccessTest {

    private static final String FORBIDDEN =
            """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
             "message":"pods \\"p\\" is forbidden: User \\"system:serviceaccount:x:y\\" cannot get"}
            """;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    requests.incrementAndGet();
                    byte[] body = FORBIDDEN.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(403, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        client =
                new KubernetesClientBuilder()
                        .withConfig(
                                new ConfigBuilder()
                                        .withMasterUrl(
                                                "http://127.0.0.1:" + server.getAddress().getPort())
                                        .withRequestRetryBackoffLimit(0)
                                        .build())
                        .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void skipsWithoutRbacLogsOnceAndLeavesTheApiAloneForAWhile() {
        ClusterAccess access = new ClusterAccess(client, config(Duration.ofMinutes(5)));

        try (LogCapture log = LogCapture.install()) {
            Optional<Object> first =
                    access.read("dump-1", c -> c.pods().inNamespace("shop").withName("p").get());
            Optional<Object> second =
                    access.read("dump-2", c -> c.pods().inNamespace("shop").withName("p").get());

            assertThat(first).isEmpty();
            assertThat(second).isEmpty();
            assertThat(requests).hasValue(1);
            assertThat(log.lines())
                    .filteredOn(l -> l.contains("Kubernetes enrichment skipped"))
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains("403", "RBAC", "dump-1"));
        }
    }

    @Test
    void asksAgainAfterThePauseButStillLogsOnlyOnce() {
        ClusterAccess access = new ClusterAccess(client, config(Duration.ZERO));

        try (LogCapture log = LogCapture.install()) {
            access.read("dump-1", c -> c.pods().inNamespace("shop").withName("p").get());
            access.read("dump-2", c -> c.pods().inNamespace("shop").withName("p").get());

            assertThat(requests).hasValue(2);
            assertThat(log.lines())
                    .filteredOn(l -> l.contains("Kubernetes enrichment skipped"))
                    .hasSize(1);
        }
    }

    private static KubernetesConfig config(Duration retryAfter) {
        return new KubernetesConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<String> apiServerUrl() {
                return Optional.empty();
            }

            @Override
            public int maxEvents() {
                return 10;
            }

            @Override
            public boolean eventsFieldSelector() {
                return true;
            }

            @Override
            public Duration retryAfter() {
                return retryAfter;
            }
        };
    }
}
