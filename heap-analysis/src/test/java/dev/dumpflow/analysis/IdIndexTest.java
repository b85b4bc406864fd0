package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdIndexTest {

    @Test
    void findsEveryIdAfterGrowingAndMissesTheOthers() {
        IdIndex index = new IdIndex(4);
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
        IdIndex index = new IdIndex(4);
        index.put(8, 1);
        index.put(8, 2);
        assertThat(index.get(8)).isEqualTo(2);
    }
}
