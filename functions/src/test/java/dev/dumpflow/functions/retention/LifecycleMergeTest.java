package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

class LifecycleMergeTest {

    private static final List<ManagedRule> WANTED =
            new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, 1).lifecycleRules();
    private static final LifecycleRule FOREIGN =
            LifecycleRule.builder()
                    .id("team-logs")
                    .filter(f -> f.prefix("logs/"))
                    .status(ExpirationStatus.ENABLED)
                    .expiration(e -> e.days(7))
                    .build();

    @Test
    void addsOurRulesAfterTheBucketsOwn() {
        LifecycleMerge merge = LifecycleMerge.of(List.of(FOREIGN), WANTED);

        assertThat(merge.changed()).isTrue();
        assertThat(merge.rules().getFirst()).isEqualTo(FOREIGN);
        assertThat(merge.rules()).hasSize(4);
    }

    @Test
    void changesNothingWhenTheBucketHasOurRulesAlready() {
        List<LifecycleRule> current =
                List.of(
                        WANTED.get(2).toLifecycleRule(),
                        FOREIGN,
                        WANTED.get(0).toLifecycleRule(),
                        WANTED.get(1).toLifecycleRule());

        assertThat(LifecycleMerge.of(current, WANTED).changed()).isFalse();
    }

    @Test
    void replacesOurRuleWhenItsDaysDiffer() {
        List<LifecycleRule> current =
                List.of(
                        FOREIGN,
                        WANTED.get(0).toLifecycleRule().toBuilder()
                                .expiration(e -> e.days(7))
                                .build(),
                        WANTED.get(1).toLifecycleRule(),
                        WANTED.get(2).toLifecycleRule());

        LifecycleMerge merge = LifecycleMerge.of(current, WANTED);

        assertThat(merge.changed()).isTrue();
        assertThat(merge.rules().stream().filter(ManagedRule::isManaged).map(ManagedRule::of))
                .containsExactlyElementsOf(WANTED);
    }

    @Test
    void reEnablesOurRuleWhenSomeoneDisabledIt() {
        List<LifecycleRule> current =
                List.of(
                        WANTED.get(0).toLifecycleRule().toBuilder()
                                .status(ExpirationStatus.DISABLED)
                                .build(),
                        WANTED.get(1).toLifecycleRule(),
                        WANTED.get(2).toLifecycleRule());

        assertThat(LifecycleMerge.of(current, WANTED).changed()).isTrue();
    }

    @Test
    void dropsADumpflowRuleThatIsNoLongerWanted() {
        LifecycleRule stale =
                LifecycleRule.builder()
                        .id("dumpflow-legacy")
                        .filter(f -> f.prefix("old/"))
                        .status(ExpirationStatus.ENABLED)
                        .expiration(e -> e.days(3))
                        .build();
        List<LifecycleRule> current =
                List.of(
                        stale,
                        WANTED.get(0).toLifecycleRule(),
                        WANTED.get(1).toLifecycleRule(),
                        WANTED.get(2).toLifecycleRule());

        LifecycleMerge merge = LifecycleMerge.of(current, WANTED);

        assertThat(merge.changed()).isTrue();
        assertThat(merge.rules()).doesNotContain(stale).hasSize(3);
    }
}
