package dev.dumpflow.functions;

import dev.dumpflow.functions.enrich.KubernetesMockResource;
import dev.dumpflow.functions.notify.GreenMailResource;
import dev.dumpflow.functions.notify.SlackRecorderResource;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Every real part the index and notify functions talk to: S3Proxy, the Kubernetes mock API server
 * in CRUD mode, GreenMail and a recording Slack webhook. Shared by the index and notify tests so
 * that Quarkus starts once for all of them.
 */
public class FullStackProfile implements QuarkusTestProfile {

    public static final String ONCALL = "oncall@example.test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dumpflow.notify.email.to", ONCALL,
                "dumpflow.notify.slack.max-retry-wait", "5s",
                "dumpflow.notify.slack.backoff", "50ms",
                "dumpflow.notify.threshold.min-interval", "10m",
                // The mock API server cannot select Events by involvedObject.name.
                "dumpflow.kubernetes.events-field-selector", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(S3ProxyResource.class),
                new TestResourceEntry(KubernetesMockResource.class),
                new TestResourceEntry(GreenMailResource.class),
                new TestResourceEntry(SlackRecorderResource.class));
    }
}
