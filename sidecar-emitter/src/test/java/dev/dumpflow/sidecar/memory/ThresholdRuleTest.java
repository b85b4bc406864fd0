package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ThresholdRuleTest {

    private static final long MIB = 1 << 20;

    private static List<Threshold> firstN(ThresholdRule rule, int n) {
        List<Threshold> out = new ArrayList<>();
        long below = 0;
        for (int i = 0; i < n; i++) {
            Optional<Threshold> t = rule.firstAbove(below);
            if (t.isEmpty()) {
                break;
            }
            out.add(t.get());
            below = t.get().bytes();
        }
        return out;
    }

    @Test
    void doublingLadderDoublesWithoutEndFromItsBase() {
        ThresholdRule rule = ThresholdRule.parse("64Mi,x2", OptionalLong.empty());
        assertThat(firstN(rule, 5))
                .extracting(Threshold::bytes)
                .containsExactly(64 * MIB, 128 * MIB, 256 * MIB, 512 * MIB, 1024 * MIB);
        assertThat(firstN(rule, 5)).extracting(Threshold::rule).containsOnly("64Mi,x2");
    }

    @Test
    void ladderGrowsFromTheLargestListedThreshold() {
        ThresholdRule rule = ThresholdRule.parse("32Mi, 64Mi, x1.5", OptionalLong.empty());
        assertThat(firstN(rule, 4))
                .extracting(Threshold::bytes)
                .containsExactly(32 * MIB, 64 * MIB, 96 * MIB, 144 * MIB);
        assertThat(firstN(rule, 4))
                .extracting(Threshold::rule)
                .containsExactly("32Mi", "64Mi,x1.5", "64Mi,x1.5", "64Mi,x1.5");
    }

    @Test
    void absoluteListEndsAfterItsLargestThreshold() {
        ThresholdRule rule = ThresholdRule.parse("1Gi,512Mi", OptionalLong.empty());
        assertThat(firstN(rule, 5))
                .extracting(Threshold::bytes)
                .containsExactly(512 * MIB, 1024 * MIB);
        assertThat(rule.firstAbove(1024 * MIB)).isEmpty();
    }

    @Test
    void percentagesAreOfTheMemoryLimit() {
        ThresholdRule rule = ThresholdRule.parse("80%,95%", OptionalLong.of(1000 * MIB));
        assertThat(firstN(rule, 3))
                .extracting(Threshold::bytes, Threshold::rule)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(800 * MIB, "80%"),
                        org.assertj.core.groups.Tuple.tuple(950 * MIB, "95%"));
    }

    @Test
    void percentageWithoutALimitIsAnErrorNamingBothVariables() {
        assertThatThrownBy(() -> ThresholdRule.parse("80%,95%", OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DUMPFLOW_THRESHOLDS")
                .hasMessageContaining("DUMPFLOW_MEMORY_LIMIT_BYTES");
    }

    @Test
    void binaryAndDecimalSuffixesAreTold() {
        assertThat(ByteSize.parse("1Ki")).isEqualTo(1024);
        assertThat(ByteSize.parse("1K")).isEqualTo(1000);
        assertThat(ByteSize.parse("2Mi")).isEqualTo(2 * MIB);
        assertThat(ByteSize.parse("2M")).isEqualTo(2_000_000);
        assertThat(ByteSize.parse("1.5Gi")).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("3G")).isEqualTo(3_000_000_000L);
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
    }

    @Test
    void malformedRulesFailNamingTheVariableAndTheForms() {
        for (String bad :
                new String[] {
                    "", "x2", "x2,1Gi", "1Gi,x1", "1Gi,x1.05", "1Gi,xx", "lots", "0", "120%"
                }) {
            assertThatThrownBy(() -> ThresholdRule.parse(bad, OptionalLong.of(MIB)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DUMPFLOW_THRESHOLDS")
                    .hasMessageContaining("Accepted:");
        }
    }

    @Test
    void aLongLadderFindsTheRungAboveAnyValueExactly() {
        ThresholdRule rule = ThresholdRule.parse("1Ki,x2", OptionalLong.empty());
        long tib = 1L << 40;
        assertThat(rule.firstAbove(tib - 1)).map(Threshold::bytes).hasValue(tib);
        assertThat(rule.firstAbove(tib)).map(Threshold::bytes).hasValue(2 * tib);
        assertThat(rule.firstAbove(tib + 1)).map(Threshold::bytes).hasValue(2 * tib);
        assertThat(rule.firstAbove(1024)).map(Threshold::bytes).hasValue(2048L);
        assertThat(rule.firstAbove(Long.MAX_VALUE / 2 + 1)).isEmpty();
    }
}
