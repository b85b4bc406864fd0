package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DumpKeysTest {

    @Test
    void readsADottedDumpIdFromADumpKey() {
        assertThat(DumpKeys.dumpIdOf("dumps/shop/cart/2026/11/22/cart-7f3a.v2.hprof-gz.zst"))
                .isEqualTo("cart-7f3a.v2");
    }

    @Test
    void readsTheDumpIdFromAnIndexKey() {
        assertThat(
                        DumpKeys.dumpIdOf(
                                "index/namespace=shop/workload=cart/date=2026-11-22/cart-7f3a.json"))
                .isEqualTo("cart-7f3a");
    }

    @Test
    void fallsBackToTheFileNameForAnyOtherKey() {
        assertThat(DumpKeys.dumpIdOf("dumps/stray.bin")).isEqualTo("stray.bin");
    }
}
