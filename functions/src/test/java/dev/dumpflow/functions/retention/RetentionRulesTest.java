package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dumpflow.events.StorageLayout;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {

    @Test
    void keptOriginalsExpireAfterKeepOriginalRoundedUpToWholeDays() {
        RetentionRules rules = new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, 1);

        assertThat(rules.rawRule(java.time.Duration.ofDays(3)))
                .isEqualTo(
                        new ManagedRule(
                                "dumpflow-raw", StorageLayout.RAW_PREFIX, true, 3, null, null, 1));
        assertThat(rules.rawRule(java.time.Duration.ofHours(36)).expirationDays()).isEqualTo(2);
        assertThat(rules.rawRule(java.time.Duration.ofMinutes(5)).expirationDays()).isEqualTo(1);
    }

    @Test
    void defaultsExpireDumpsIndexAndUnfinishedUploadsUnderOurPrefixes() {
        assertThat(
                        new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, 1)
                                .lifecycleRules())
                .containsExactly(
                        new ManagedRule(
                                "dumpflow-dumps",
                                StorageLayout.DUMPS_PREFIX,
                                true,
                                14,
                                null,
                                null,
                                null),
                        new ManagedRule(
                                "dumpflow-index",
                                StorageLayout.INDEX_PREFIX,
                                true,
                                90,
                                null,
                                null,
                                null),
                        new ManagedRule(
                                "dumpflow-abort-incomplete-uploads",
                                StorageLayout.DUMPS_PREFIX,
                                true,
                                null,
                                null,
                                null,
                                1));
    }

    @Test
    void movesDumpsBeforeTheyExpireWhenATransitionIsSet() {
        ManagedRule dumps =
                new RetentionRules(60, 90, 30, TransitionClass.STANDARD_IA, 1)
                        .lifecycleRules()
                        .getFirst();

        assertThat(dumps.transitionDays()).isEqualTo(30);
        assertThat(dumps.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(ManagedRule.of(dumps.toLifecycleRule())).isEqualTo(dumps);
    }

    @Test
    void refusesATransitionThatComesAfterExpiry() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetentionRules(14, 90, 14, TransitionClass.GLACIER, 1))
                .withMessageContaining(
                        "dumpflow.retention.transition-days (14) must be less than dump-days (14)");
    }

    @Test
    void refusesInfrequentAccessBeforeThirtyDays() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetentionRules(60, 90, 20, TransitionClass.ONEZONE_IA, 1))
                .withMessageContaining("ONEZONE_IA only after 30 days");
    }

    @Test
    void acceptsAnEarlyTransitionToAClassWithoutMinimum() {
        assertThat(new RetentionRules(14, 90, 7, TransitionClass.GLACIER_IR, 1).transitionDays())
                .isEqualTo(7);
    }

    @Test
    void refusesDaysThatAreNotPositiveNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetentionRules(0, 90, null, TransitionClass.STANDARD_IA, 1))
                .withMessage("dumpflow.retention.dump-days must be greater than 0, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, -1))
                .withMessageContaining("dumpflow.retention.abort-incomplete-multipart-days");
    }
}
