package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThresholdGateTest {

    private static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    private final ThresholdGate gate = new ThresholdGate(Duration.ofMinutes(10));

    @Test
    void sendsTheFirstCrossingAndHoldsBackTheRestOfTheWindow() {
        assertThat(gate.admit("shop/checkout", T0).send()).isTrue();
        for (int i = 1; i < 50; i++) {
            assertThat(gate.admit("shop/checkout", T0.plusSeconds(i)).send()).isFalse();
        }
    }

    @Test
    void theFirstWarningAfterTheWindowCountsTheCrossingsHeldBack() {
        gate.admit("shop/checkout", T0);
        gate.admit("shop/checkout", T0.plusSeconds(5));
        gate.admit("shop/checkout", T0.plusSeconds(6));

        ThresholdGate.Decision next = gate.admit("shop/checkout", T0.plus(Duration.ofMinutes(10)));

        assertThat(next.send()).isTrue();
        assertThat(next.suppressed()).isEqualTo(2);
        assertThat(next.suppressedSince()).isEqualTo(T0.plusSeconds(5));
        assertThat(gate.admit("shop/checkout", T0.plus(Duration.ofMinutes(11))).send()).isFalse();
    }

    @Test
    void workloadsHaveTheirOwnWindows() {
        assertThat(gate.admit("shop/checkout", T0).send()).isTrue();
        assertThat(gate.admit("shop/cart", T0).send()).isTrue();
        assertThat(gate.admit("billing/checkout", T0).send()).isTrue();
    }

    @Test
    void aReleasedSendLetsTheRetryThrough() {
        ThresholdGate.Decision sent = gate.admit("shop/checkout", T0);

        gate.release("shop/checkout", sent);

        assertThat(gate.admit("shop/checkout", T0.plusSeconds(1)).send()).isTrue();
    }
}
