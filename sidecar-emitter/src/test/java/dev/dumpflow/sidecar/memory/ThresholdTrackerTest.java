package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ThresholdTrackerTest {

    private static final long MIB = 1 << 20;

    private final ThresholdTracker tracker =
            new ThresholdTracker(ThresholdRule.parse("64Mi,x2", OptionalLong.empty()));

    @Test
    void firesEachThresholdOnceWhileMemoryStaysAboveIt() {
        assertThat(tracker.observe(10 * MIB)).isEmpty();
        assertThat(tracker.observe(70 * MIB))
                .extracting(Threshold::bytes)
                .containsExactly(64 * MIB);
        assertThat(tracker.observe(100 * MIB)).isEmpty();
        assertThat(tracker.observe(65 * MIB)).isEmpty();
        assertThat(tracker.observe(130 * MIB))
                .extracting(Threshold::bytes)
                .containsExactly(128 * MIB);
    }

    @Test
    void aJumpPastSeveralThresholdsReportsThemAllLowestFirst() {
        assertThat(tracker.observe(300 * MIB))
                .extracting(Threshold::bytes)
                .containsExactly(64 * MIB, 128 * MIB, 256 * MIB);
    }

    @Test
    void hoveringJustBelowAThresholdDoesNotReArmIt() {
        tracker.observe(70 * MIB);
        // 60 MiB is below 64 MiB but above 90% of it (57.6 MiB): still quiet.
        assertThat(tracker.observe(60 * MIB)).isEmpty();
        assertThat(tracker.observe(70 * MIB)).isEmpty();
    }

    @Test
    void droppingClearlyBelowReArmsSoTheNextRiseFiresAgain() {
        tracker.observe(70 * MIB);
        assertThat(tracker.observe(57 * MIB)).isEmpty();
        assertThat(tracker.observe(66 * MIB))
                .extracting(Threshold::bytes)
                .containsExactly(64 * MIB);
    }

    @Test
    void onlyThresholdsClearlyAboveMemoryReArm() {
        tracker.observe(300 * MIB);
        // 200 MiB re-arms 256 (200 < 230.4) but not 128 or 64.
        assertThat(tracker.observe(200 * MIB)).isEmpty();
        assertThat(tracker.observe(260 * MIB))
                .extracting(Threshold::bytes)
                .containsExactly(256 * MIB);
    }

    @Test
    void nextThresholdIsTheOneAboveTheCrossedOne() {
        Threshold crossed = tracker.observe(70 * MIB).getFirst();
        assertThat(tracker.nextAbove(crossed)).map(Threshold::bytes).hasValue(128 * MIB);
    }
}
