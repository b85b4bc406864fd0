package dev.dumpflow.functions.gate;

import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The functions' jar serving the download gate, as the {@code dumpflow-gate} Service runs it,
 * against S3Proxy and an API server that reviews tokens and rights ({@link AuthReviewResource}).
 * Links live two seconds, so that a test sees one expire.
 */
public class GateProfile implements QuarkusTestProfile {

    /** The link TTL of this profile. */
    public static final String LINK_TTL = "PT2S";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dumpflow.download.gate-enabled", "true",
                "dumpflow.download.gate-only", "true",
                "dumpflow.download.link-ttl", LINK_TTL);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(S3ProxyResource.class),
                new TestResourceEntry(AuthReviewResource.class));
    }
}
