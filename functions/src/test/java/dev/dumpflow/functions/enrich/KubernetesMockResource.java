package dev.dumpflow.functions.enrich;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fabric8 Kubernetes mock server in CRUD mode on a random loopback port: objects created
 * through it are stored and served back like an API server would. Tests seed it through the
 * application's own {@code KubernetesClient}. A test may also make one path fail ({@link
 * #server()}{@code .expect()}, say a 500 for one namespace), which is answered before the CRUD
 * store; each such test uses names of its own, since expectations outlive it.
 */
public class KubernetesMockResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KubernetesMockServer server;

    /** The running server, for expectations. */
    public static KubernetesMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        server =
                new KubernetesMockServer(
                        new io.fabric8.mockwebserver.Context(),
                        new MockWebServer(),
                        expectations,
                        new KubernetesMixedDispatcher(expectations),
                        false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return Map.of(
                "dumpflow.kubernetes.enabled",
                "true",
                "dumpflow.kubernetes.api-server-url",
                server.url("/"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}
