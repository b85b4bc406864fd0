package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Field placement as HotSpot's layout builder does it, on layouts known from JOL. */
class FieldLayoutTest {

    private static final byte O = HprofType.OBJECT;
    private static final byte J = HprofType.LONG;
    private static final byte I = HprofType.INT;
    private static final byte B = HprofType.BYTE;
    private static final byte S = HprofType.SHORT;
    private static final byte Z = HprofType.BOOLEAN;

    @Test
    void anIntFillsTheGapALongLeavesAfterATwelveByteHeader() {
        // header 0-12, int 12-16, long 16-24
        assertThat(FieldLayout.empty(12).with(new byte[] {J, I}, 4).end()).isEqualTo(24);
    }

    @Test
    void referencesGoAfterPrimitivesAtTheirOwnWidth() {
        // header 0-12, long 16-24, bytes 12-14 in the gap, refs 24-28 (4) or 24-32 (8)
        assertThat(FieldLayout.empty(12).with(new byte[] {O, B, J, Z}, 4).end()).isEqualTo(28);
        assertThat(FieldLayout.empty(12).with(new byte[] {O, B, J, Z}, 8).end()).isEqualTo(32);
    }

    @Test
    void aSubclassFillsTheHoleItsSuperClassLeft() {
        FieldLayout superLayout = FieldLayout.empty(12).with(new byte[] {J}, 4); // hole 12-16
        assertThat(superLayout.with(new byte[] {I, B}, 4).end()).isEqualTo(25);
        assertThat(superLayout.with(new byte[] {I}, 4).end()).isEqualTo(24);
    }

    @Test
    void aFieldTakesTheSmallestHoleItFits() {
        // holes 13-16 (3 bytes) and 28-32 (4 bytes), end 40
        FieldLayout layout =
                FieldLayout.empty(12)
                        .with(new byte[] {J}, 4)
                        .with(new byte[] {B}, 4)
                        .with(new byte[] {I}, 4)
                        .with(new byte[] {J}, 4);
        assertThat(layout.end()).isEqualTo(40);
        // the short takes 14-16, leaving 28-32 for the int: nothing grows
        assertThat(layout.with(new byte[] {S}, 4).with(new byte[] {I}, 4).end()).isEqualTo(40);
    }

    @Test
    void staticReferencesComeBeforeStaticPrimitives() {
        // mirror of 120 bytes: ref 120-124, long 128-136, int in the hole 124-128
        assertThat(FieldLayout.empty(120).withStatics(new byte[] {J, O, I}, 4).end())
                .isEqualTo(136);
    }
}
