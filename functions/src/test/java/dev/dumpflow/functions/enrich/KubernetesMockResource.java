package dev.dumpflow.functions.enrich;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The fabric8 Kubernetes mock server in CRUD mode on a random loopback port: objects created
 * through it are stored and served back like an API server would. Tests seed it through the
 * application's own {@code KubernetesClient}.
 */
public class KubernetesMockResource implements QuarkusTestResourceLifecycleManager {

    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server =
                new KubernetesMockServer(
                        new io.fabric8.mockwebserver.Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
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
