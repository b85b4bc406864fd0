package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdIndexTest {

    @Test
    void findsEveryIdAfterGrowingAndMissesTheOthers() {
        IdIndex index = new IdIndex(4, new MemoryBudget(AnalysisSettings.LARGEST_MEMORY_BUDGET));
        for (int i = 0; i < 100_000; i++) {
            index.put(0x7_0000_0000L + 8L * i, i);
        }
        index.put(0, 42);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.get(0x7_0000_0000L + 8L * i)).isEqualTo(i);
        }
        assertThat(index.get(0)).isEqualTo(42);
        assertThat(index.get(0x7_0000_0004L)).isEqualTo(-1);
    }

    @Test
    void anIdPutTwiceKeepsTheLastIndex() {
        IdIndex index = new IdIndex(4, new MemoryBudget(AnalysisSettings.LARGEST_MEMORY_BUDGET));
        index.put(8, 1);
        index.put(8, 2);
        assertThat(index.get(8)).isEqualTo(2);
    }

    @Test
    void stopsAtTheIdsCapCountingTheOldTablesWhileItGrowsAndKeepsWhatItHeld() {
        // 1 MiB: an ids cap of 512 KiB. 16,384 slots of 12 bytes fit (192 KiB); growing to
        // 32,768 would hold 192 + 384 KiB at once.
        MemoryBudget budget = new MemoryBudget(1 << 20);
        IdIndex index = new IdIndex(4, budget);
        int put = 0;
        try {
            while (true) {
                index.put(8L * (put + 1), put);
                put++;
            }
        } catch (MemoryBudget.CapReached e) {
            assertThat(AnalysisCap.named(e.getMessage())).contains(AnalysisCap.IDS);
        }
        assertThat(put).isEqualTo(8192);
        assertThat(budget.used(AnalysisCap.IDS)).isEqualTo(16_384 * 12);
        for (int i = 0; i < put; i++) {
            assertThat(index.get(8L * (i + 1))).isEqualTo(i);
        }
        assertThatThrownBy(() -> index.put(1 << 30, 0)).isInstanceOf(MemoryBudget.CapReached.class);
    }
}
