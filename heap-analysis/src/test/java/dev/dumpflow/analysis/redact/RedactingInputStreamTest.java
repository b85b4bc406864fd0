package dev.dumpflow.analysis.redact;

import static dev.dumpflow.analysis.redact.RedactionFixtures.BASE;
import static dev.dumpflow.analysis.redact.RedactionFixtures.CHILD;
import static dev.dumpflow.analysis.redact.RedactionFixtures.INT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.JAVA_LANG_OBJECT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.LONG;
import static dev.dumpflow.analysis.redact.RedactionFixtures.OBJECT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.assertRedacted;
import static dev.dumpflow.analysis.redact.RedactionFixtures.everyRecordKind;
import static dev.dumpflow.analysis.redact.RedactionFixtures.redact;
import static dev.dumpflow.analysis.redact.RedactionFixtures.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.analysis.redact.HprofBuilder.Values;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactingInputStreamTest {

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void stringsZeroesCharAndByteArrayElementsAndNothingElse(int idSize) throws Exception {
        HprofBuilder dump = everyRecordKind(idSize);

        byte[] out = redact(dump.bytes(), RedactionMode.STRINGS, 64 * 1024);

        assertRedacted(dump, out, EnumSet.of(Values.STRING_ARRAY));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void primitivesZeroesEveryPrimitiveValueAndKeepsReferences(int idSize) throws Exception {
        HprofBuilder dump = everyRecordKind(idSize);

        byte[] out = redact(dump.bytes(), RedactionMode.PRIMITIVES, 64 * 1024);

        assertRedacted(dump, out, EnumSet.allOf(Values.class));
    }

    @Test
    void noneHandsBackTheSameStreamUnparsed() {
        InputStream notAnHprof = new ByteArrayInputStream(new byte[] {1, 2, 3});

        assertThat(RedactingInputStream.of(notAnHprof, RedactionMode.NONE)).isSameAs(notAnHprof);
    }

    @Test
    void givesTheSameBytesWhateverTheReadSizes() throws Exception {
        HprofBuilder dump = everyRecordKind(8);
        for (RedactionMode mode : Set.of(RedactionMode.STRINGS, RedactionMode.PRIMITIVES)) {
            byte[] whole = redact(dump.bytes(), mode, dump.bytes().length);
            for (int chunk : new int[] {1, 2, 3, 5, 7, 9, 13, 17, 31, 64, 127, 1021, 4099}) {
                assertThat(redact(dump.bytes(), mode, chunk))
                        .as("%s read %d bytes at a time", mode, chunk)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void readsOneByteAtATimeThroughRead() throws Exception {
        HprofBuilder dump = everyRecordKind(4);
        byte[] out = new byte[dump.bytes().length];
        try (InputStream in =
                RedactingInputStream.of(
                        new ByteArrayInputStream(dump.bytes()), RedactionMode.PRIMITIVES)) {
            for (int i = 0; i < out.length; i++) {
                int b = in.read();
                assertThat(b).isNotNegative();
                out[i] = (byte) b;
            }
            assertThat(in.read()).isEqualTo(-1);
        }

        assertRedacted(dump, out, EnumSet.allOf(Values.class));
    }

    @Test
    void transferToAndReadAllBytesHandOutRedactedBytes() throws Exception {
        HprofBuilder dump = everyRecordKind(8);
        java.io.ByteArrayOutputStream transferred = new java.io.ByteArrayOutputStream();
        try (InputStream in =
                RedactingInputStream.of(
                        new ByteArrayInputStream(dump.bytes()), RedactionMode.STRINGS)) {
            assertThat(in.transferTo(transferred)).isEqualTo(dump.bytes().length);
        }
        assertRedacted(dump, transferred.toByteArray(), EnumSet.of(Values.STRING_ARRAY));
        try (InputStream in =
                RedactingInputStream.of(
                        new ByteArrayInputStream(dump.bytes()), RedactionMode.STRINGS)) {
            assertRedacted(dump, in.readAllBytes(), EnumSet.of(Values.STRING_ARRAY));
        }
    }

    @Test
    void skippedBytesAreStillRedactedAndParsed() throws Exception {
        HprofBuilder dump = everyRecordKind(8);
        byte[] expected = redact(dump.bytes(), RedactionMode.STRINGS, 1 << 20);
        try (InputStream in =
                RedactingInputStream.of(
                        new ByteArrayInputStream(dump.bytes()), RedactionMode.STRINGS)) {
            assertThat(in.skip(1000)).isEqualTo(1000);
            byte[] rest = in.readAllBytes();

            assertThat(rest)
                    .isEqualTo(java.util.Arrays.copyOfRange(expected, 1000, expected.length));
        }
    }

    @Test
    void readsSuperClassesDumpedAfterTheirSubclasses() throws Exception {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x0c);
        dump.classDump(CHILD, BASE, types(), types(), types(LONG, OBJECT));
        dump.classDump(BASE, JAVA_LANG_OBJECT, types(), types(), types(INT));
        dump.classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        dump.instance(0x1000, CHILD).endHeap();

        byte[] out = redact(dump.bytes(), RedactionMode.PRIMITIVES, 1 << 16);

        assertRedacted(dump, out, EnumSet.allOf(Values.class));
    }

    @Test
    void aClassDumpedAgainReplacesItsLayoutForLaterInstances() throws Exception {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        dump.classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        dump.classDump(BASE, JAVA_LANG_OBJECT, types(), types(), types(LONG, OBJECT));
        dump.classDump(CHILD, BASE, types(), types(), types(OBJECT));
        dump.instance(0x1000, CHILD);
        dump.classDump(BASE, JAVA_LANG_OBJECT, types(), types(), types(OBJECT, INT, OBJECT));
        dump.instance(0x1010, CHILD).endHeap();

        byte[] out = redact(dump.bytes(), RedactionMode.PRIMITIVES, 1 << 16);

        assertRedacted(dump, out, EnumSet.allOf(Values.class));
    }

    @Test
    void countsRecordsAndSubRecords() throws Exception {
        HprofBuilder dump = new HprofBuilder(8).utf8(1, "x").beginHeap(0x0c);
        dump.root(0xff, 8).classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        dump.instance(0x10, JAVA_LANG_OBJECT).primitiveArray(0x20, 5, 3).endHeap();
        try (RedactingInputStream in =
                (RedactingInputStream)
                        RedactingInputStream.of(
                                new ByteArrayInputStream(dump.bytes()), RedactionMode.PRIMITIVES)) {
            in.readAllBytes();

            assertThat(in.recordsSeen()).isEqualTo(6); // 2 records, 4 sub-records
        }
    }
}
