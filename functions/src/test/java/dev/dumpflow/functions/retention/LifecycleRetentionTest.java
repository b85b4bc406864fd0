package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@code dumpflow.retention.manage=true} against S3Mock, which stores lifecycle configuration. */
@QuarkusTest
@WithTestResource(value = S3MockResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LifecycleRetentionTest {

    S3MockServer server;

    @Inject RetentionStartup startup;
    @Inject LifecycleApplier applier;
    @Inject LocalExpiry localExpiry;

    private S3Client s3;

    @BeforeEach
    void connect() {
        s3 = LoopbackS3Client.of(server.endpoint());
    }

    @AfterEach
    void disconnect() {
        s3.close();
    }

    @Test
    void startUpPutsOurRulesNextToTheForeignRule() {
        List<LifecycleRule> rules = rulesOf(S3MockResource.BUCKET);

        assertThat(rules).contains(S3MockResource.FOREIGN_RULE);
        assertThat(rules.stream().filter(ManagedRule::isManaged).map(ManagedRule::of))
                .containsExactlyInAnyOrderElementsOf(
                        new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, 1)
                                .lifecycleRules());
        assertThat(rules).hasSize(4);
    }

    @Test
    void applyingAgainChangesNothing() {
        List<LifecycleRule> before = rulesOf(S3MockResource.BUCKET);

        assertThat(startup.apply()).isEqualTo(LifecycleApplier.Outcome.UNCHANGED);
        assertThat(startup.apply()).isEqualTo(LifecycleApplier.Outcome.UNCHANGED);

        assertThat(rulesOf(S3MockResource.BUCKET)).isEqualTo(before);
    }

    @Test
    void changedRetentionReplacesOnlyOurRulesAndDropsStaleOnes() {
        String bucket = "retention-changed";
        LifecycleRule stale =
                LifecycleRule.builder()
                        .id("dumpflow-legacy")
                        .filter(f -> f.prefix("old/"))
                        .status(ExpirationStatus.ENABLED)
                        .expiration(e -> e.days(3))
                        .build();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketLifecycleConfiguration(
                put ->
                        put.bucket(bucket)
                                .lifecycleConfiguration(
                                        c -> c.rules(S3MockResource.FOREIGN_RULE, stale)));
        List<ManagedRule> wanted =
                new RetentionRules(60, 365, 30, TransitionClass.STANDARD_IA, 2).lifecycleRules();

        assertThat(applier.apply(bucket, wanted)).isEqualTo(LifecycleApplier.Outcome.UPDATED);
        assertThat(applier.apply(bucket, wanted)).isEqualTo(LifecycleApplier.Outcome.UNCHANGED);

        List<LifecycleRule> rules = rulesOf(bucket);
        assertThat(rules).contains(S3MockResource.FOREIGN_RULE).doesNotContain(stale);
        assertThat(rules.stream().filter(ManagedRule::isManaged).map(ManagedRule::of))
                .containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(ManagedRule.of(rule(rules, RetentionRules.DUMPS_RULE_ID)))
                .extracting(ManagedRule::transitionDays, ManagedRule::storageClass)
                .containsExactly(30, "STANDARD_IA");
    }

    @Test
    void refusesAMissingBucketInsteadOfPretendingRetentionIsSet() {
        assertThatThrownBy(
                        () ->
                                applier.apply(
                                        "no-such-bucket",
                                        new RetentionRules(
                                                        14,
                                                        90,
                                                        null,
                                                        TransitionClass.STANDARD_IA,
                                                        1)
                                                .lifecycleRules()))
                .isInstanceOf(S3Exception.class)
                .extracting(e -> ((S3Exception) e).statusCode())
                .isEqualTo(404);
    }

    @Test
    void localExpiryIsWiredToTheConfiguredBucket() {
        String key = "dumps/shop/cart/2026/11/22/cart-1.hprof.zst";
        s3.putObject(p -> p.bucket(S3MockResource.BUCKET).key(key), RequestBody.fromString("x"));

        assertThat(localExpiry.sweep(Instant.now().plus(Duration.ofDays(15)))).isEqualTo(1);

        assertThat(
                        s3.listObjectsV2(l -> l.bucket(S3MockResource.BUCKET).prefix("dumps/"))
                                .contents())
                .isEmpty();
    }

    private List<LifecycleRule> rulesOf(String bucket) {
        return s3.getBucketLifecycleConfiguration(get -> get.bucket(bucket)).rules();
    }

    private static LifecycleRule rule(List<LifecycleRule> rules, String id) {
        return rules.stream().filter(r -> id.equals(r.id())).findFirst().orElseThrow();
    }
}
