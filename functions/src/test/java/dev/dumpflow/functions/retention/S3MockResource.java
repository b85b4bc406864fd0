package dev.dumpflow.functions.retention;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * Starts S3Mock before the application, with a bucket that already carries another team's lifecycle
 * rule, and points the functions at it with {@code dumpflow.retention.manage=true} and the local
 * expiry on, so that both start-up paths run through CDI.
 */
public class S3MockResource implements QuarkusTestResourceLifecycleManager {

    static final String BUCKET = "retention-managed";

    /** The rule that was on the bucket before dumpflow came; it must survive every apply. */
    static final LifecycleRule FOREIGN_RULE =
            LifecycleRule.builder()
                    .id("team-logs-expiry")
                    .filter(f -> f.prefix("logs/"))
                    .status(ExpirationStatus.ENABLED)
                    .expiration(e -> e.days(30))
                    .build();

    private S3MockServer server;

    @Override
    public Map<String, String> start() {
        server = S3MockServer.start();
        try (S3Client s3 = LoopbackS3Client.of(server.endpoint())) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putBucketLifecycleConfiguration(
                    put -> put.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(FOREIGN_RULE)));
        }
        return Map.of(
                "quarkus.s3.endpoint-override",
                server.endpoint().toString(),
                "quarkus.s3.path-style-access",
                "true",
                "quarkus.s3.aws.region",
                LoopbackS3Client.REGION,
                "quarkus.s3.aws.credentials.type",
                "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id",
                LoopbackS3Client.ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key",
                LoopbackS3Client.SECRET_KEY,
                "dumpflow.bucket",
                BUCKET,
                "dumpflow.retention.manage",
                "true",
                "dumpflow.retention.local-expiry.enabled",
                "true");
    }

    /**
     * Started after the global S3Proxy resource, so that its {@code quarkus.s3.*} and {@code
     * dumpflow.bucket} win: resources of equal order leave the winner to chance.
     */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.MatchesType(S3MockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
