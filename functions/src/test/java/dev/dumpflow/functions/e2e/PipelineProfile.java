package dev.dumpflow.functions.e2e;

import dev.dumpflow.functions.enrich.KubernetesMockResource;
import dev.dumpflow.functions.notify.GreenMailResource;
import dev.dumpflow.functions.notify.SlackRecorderResource;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * The whole local stack around the functions under test: the local stack's broker routing by the
 * repository's real {@code knative/} manifests to them, S3Proxy, the Kubernetes mock API server,
 * GreenMail and a recording Slack webhook.
 */
public class PipelineProfile implements QuarkusTestProfile {

    /** Where the e-mail channel sends when the workload names no team. */
    public static final String ONCALL = "oncall@example.test";

    /**
     * The broker's subscribers resolve to this application, so its port must be known before it
     * starts: a free one, kept in a system property because the profile is loaded by more than one
     * class loader and every copy must agree.
     */
    private static final String PORT_PROPERTY = "dumpflow-e2e.http-port";

    @Override
    public Map<String, String> getConfigOverrides() {
        String port = port();
        return Map.of(
                "quarkus.http.test-port", port,
                "quarkus.devservices.enabled", "false",
                "dumpflow.fetch.allowed-hosts", "127.0.0.0/8,::1,localhost",
                "dumpflow.notify.email.to", ONCALL,
                // The mock API server cannot select Events by involvedObject.name.
                "dumpflow.kubernetes.events-field-selector", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(LocalBrokerResource.class),
                new TestResourceEntry(S3ProxyResource.class),
                new TestResourceEntry(KubernetesMockResource.class),
                new TestResourceEntry(GreenMailResource.class),
                new TestResourceEntry(SlackRecorderResource.class));
    }

    static synchronized String port() {
        String chosen = System.getProperty(PORT_PROPERTY);
        if (chosen == null) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                chosen = String.valueOf(probe.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PORT_PROPERTY, chosen);
        }
        return chosen;
    }
}
