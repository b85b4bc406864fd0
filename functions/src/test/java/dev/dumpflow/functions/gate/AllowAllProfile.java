package dev.dumpflow.functions.gate;

import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The download gate as {@code bin/local-stack} runs it: allowing everything, with no API server at
 * all (the Kubernetes client points at a closed port, so a review would fail, not pass).
 */
public class AllowAllProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dumpflow.download.gate-enabled", "true",
                "dumpflow.download.allow-all", "true",
                "dumpflow.kubernetes.api-server-url", "http://127.0.0.1:9");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3ProxyResource.class));
    }
}
