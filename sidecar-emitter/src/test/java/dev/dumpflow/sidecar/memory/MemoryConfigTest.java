package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryConfigTest {

    private static final long MIB = 1 << 20;

    @Test
    void defaultsToAFiveSecondPollAndTheGigabyteLadderWithoutALimit() {
        MemoryConfig c = MemoryConfig.fromEnv(Map.of());
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.thresholds().toString()).isEqualTo("1Gi,x2");
        assertThat(c.limitBytes()).isEmpty();
        assertThat(c.processMatch()).isEmpty();
    }

    @Test
    void defaultsToPercentagesOfTheLimitWhenTheLimitIsKnown() {
        MemoryConfig c = MemoryConfig.fromEnv(Map.of("DUMPFLOW_MEMORY_LIMIT_BYTES", "1000Mi"));
        assertThat(c.limitBytes()).hasValue(1000 * MIB);
        assertThat(c.thresholds().firstAbove(0)).map(Threshold::bytes).hasValue(800 * MIB);
    }

    @Test
    void readsThePollIntervalInShortForm() {
        assertThat(MemoryConfig.fromEnv(Map.of("DUMPFLOW_POLL_INTERVAL", "250ms")).pollInterval())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badValuesFailNamingTheirVariable() {
        assertThatThrownBy(() -> MemoryConfig.fromEnv(Map.of("DUMPFLOW_POLL_INTERVAL", "often")))
                .hasMessageContaining("DUMPFLOW_POLL_INTERVAL");
        assertThatThrownBy(() -> MemoryConfig.fromEnv(Map.of("DUMPFLOW_POLL_INTERVAL", "1ms")))
                .hasMessageContaining("DUMPFLOW_POLL_INTERVAL");
        assertThatThrownBy(() -> MemoryConfig.fromEnv(Map.of("DUMPFLOW_MEMORY_LIMIT_BYTES", "big")))
                .hasMessageContaining("DUMPFLOW_MEMORY_LIMIT_BYTES");
        assertThatThrownBy(() -> MemoryConfig.fromEnv(Map.of("DUMPFLOW_PROCESS_MATCH", "(")))
                .hasMessageContaining("DUMPFLOW_PROCESS_MATCH");
        assertThatThrownBy(() -> MemoryConfig.fromEnv(Map.of("DUMPFLOW_THRESHOLDS", "90%")))
                .hasMessageContaining("DUMPFLOW_MEMORY_LIMIT_BYTES");
    }
}
