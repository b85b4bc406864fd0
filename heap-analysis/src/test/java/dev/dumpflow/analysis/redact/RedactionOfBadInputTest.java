package dev.dumpflow.analysis.redact;

import static dev.dumpflow.analysis.redact.RedactionFixtures.BASE;
import static dev.dumpflow.analysis.redact.RedactionFixtures.CHILD;
import static dev.dumpflow.analysis.redact.RedactionFixtures.INT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.JAVA_LANG_OBJECT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.LONG;
import static dev.dumpflow.analysis.redact.RedactionFixtures.OBJECT;
import static dev.dumpflow.analysis.redact.RedactionFixtures.everyRecordKind;
import static dev.dumpflow.analysis.redact.RedactionFixtures.redact;
import static dev.dumpflow.analysis.redact.RedactionFixtures.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dumpflow.analysis.redact.UnredactableException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RedactionOfBadInputTest {

    @Test
    void truncatedInsideAnyRecordIsUnredactable() throws Exception {
        HprofBuilder dump = everyRecordKind(8, 300);
        byte[] whole = dump.bytes();
        List<Integer> clean = dump.recordEnds();
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            if (clean.contains(cut)) {
                assertThat(redact(prefix, RedactionMode.PRIMITIVES, 4096))
                        .as("cut at record end %d", cut)
                        .hasSize(cut);
                continue;
            }
            UnredactableException e =
                    catchThrowableOfType(
                            UnredactableException.class,
                            () -> redact(prefix, RedactionMode.PRIMITIVES, 4096));
            assertThat(e).as("cut at %d", cut).isNotNull();
            assertThat(e.kind()).isEqualTo(cut < clean.get(0) ? Kind.BAD_HEADER : Kind.TRUNCATED);
            assertThat(e.offset()).isEqualTo(cut);
            assertThat(e.getMessage()).endsWith("at byte " + cut);
        }
    }

    @Test
    void gzippedInputHasNoHprofHeader() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(everyRecordKind(8).bytes());
        }

        UnredactableException e = unredactable(gz.toByteArray(), RedactionMode.STRINGS);

        assertThat(e.kind()).isEqualTo(Kind.BAD_HEADER);
        assertThat(e.offset()).isZero();
    }

    @Test
    void otherProfileVersionsAndEmptyInputAreRejected() {
        byte[] other = "JAVA PROFILE 2.0\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(unredactable(other, RedactionMode.STRINGS).kind()).isEqualTo(Kind.BAD_HEADER);
        assertThat(unredactable(new byte[0], RedactionMode.STRINGS).kind())
                .isEqualTo(Kind.BAD_HEADER);
    }

    @Test
    void identifierSizeOtherThanFourOrEightIsRejected() {
        byte[] hprof = new HprofBuilder(8).bytes();
        hprof[22] = 2; // the identifier size's last byte, after "JAVA PROFILE 1.0.2\0" + 3

        UnredactableException e = unredactable(hprof, RedactionMode.STRINGS);

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_ID_SIZE);
        assertThat(e.offset()).isEqualTo(19);
    }

    @Test
    void unknownTopLevelTagIsRejectedAtItsOffset() {
        HprofBuilder dump = new HprofBuilder(8).utf8(1, "x");
        int at = dump.bytes().length;
        dump.plainRecord(0x42, 3);

        UnredactableException e = unredactable(dump.bytes(), RedactionMode.STRINGS);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_RECORD);
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.getMessage()).contains("0x42");
    }

    @Test
    void unknownHeapSubRecordTagIsRejected() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c).root(0xff, 8);
        int at = dump.bytes().length;
        dump.root(0x77, 8).endHeap();

        UnredactableException e = unredactable(dump.bytes(), RedactionMode.STRINGS);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_SUB_RECORD);
        assertThat(e.offset()).isEqualTo(at);
    }

    @Test
    void arrayLongerThanItsSegmentIsRejected() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c).primitiveArray(0x10, 8, 100);
        int declared = 1 + 8 + 4 + 4 + 1 + 50; // the array's head and half its elements
        dump.endHeapDeclaring(declared).utf8(1, "after");

        UnredactableException e = unredactable(dump.bytes(), RedactionMode.STRINGS);

        assertThat(e.kind()).isEqualTo(Kind.RECORD_OVERRUN);
    }

    @Test
    void instanceOfAClassWithNoClassDumpIsUnredactableUnderPrimitivesOnly() throws Exception {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        dump.classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        dump.instanceOfLength(0x10, CHILD, 12).endHeap();

        UnredactableException e = unredactable(dump.bytes(), RedactionMode.PRIMITIVES);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_LAYOUT);
        assertThat(e.getMessage()).contains("0x300");
        // Strings needs no layouts: the field block's length is enough to pass it.
        assertThat(redact(dump.bytes(), RedactionMode.STRINGS, 1024)).isEqualTo(dump.bytes());
    }

    @Test
    void instanceWhoseSuperClassHasNoClassDumpIsUnredactable() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        dump.classDump(CHILD, BASE, types(), types(), types(INT, OBJECT));
        dump.instanceOfLength(0x10, CHILD, 12).endHeap();

        assertThat(unredactable(dump.bytes(), RedactionMode.PRIMITIVES).kind())
                .isEqualTo(Kind.UNKNOWN_LAYOUT);
    }

    @Test
    void instanceLengthDisagreeingWithItsLayoutIsUnredactable() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        dump.classDump(JAVA_LANG_OBJECT, 0, types(), types(), types());
        dump.classDump(BASE, JAVA_LANG_OBJECT, types(), types(), types(INT, OBJECT));
        dump.instanceOfLength(0x10, BASE, 16).endHeap(); // 4 + 8 bytes would be right

        assertThat(unredactable(dump.bytes(), RedactionMode.PRIMITIVES).kind())
                .isEqualTo(Kind.UNKNOWN_LAYOUT);
    }

    @Test
    void superClassCycleIsUnredactable() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        dump.classDump(CHILD, BASE, types(), types(), types(INT));
        dump.classDump(BASE, CHILD, types(), types(), types(INT));
        dump.instanceOfLength(0x10, CHILD, 8).endHeap();

        UnredactableException e = unredactable(dump.bytes(), RedactionMode.PRIMITIVES);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_LAYOUT);
        assertThat(e.getMessage()).contains("cycle");
    }

    @Test
    void classLayoutsPastTheLimitAreUnredactable() {
        HprofBuilder dump = new HprofBuilder(8).beginHeap(0x1c);
        for (int i = 1; i <= 100; i++) {
            dump.classDump(i * 16L, 0, types(), types(), types(INT, OBJECT, INT));
        }
        dump.endHeap();
        byte[] bytes = dump.bytes();
        HprofRewriter rewriter = new HprofRewriter(RedactionMode.PRIMITIVES, 5_000);

        UnredactableException e =
                catchThrowableOfType(
                        UnredactableException.class,
                        () -> rewriter.rewrite(bytes, 0, bytes.length));

        assertThat(e.kind()).isEqualTo(Kind.LAYOUT_LIMIT);
        // Strings keeps no layouts, and the default limit is far above 100 classes.
        assertThatCode(
                        () ->
                                new HprofRewriter(RedactionMode.STRINGS, 5_000)
                                        .rewrite(bytes, 0, bytes.length))
                .doesNotThrowAnyException();
        assertThatCode(() -> redact(bytes, RedactionMode.PRIMITIVES, 4096))
                .doesNotThrowAnyException();
    }

    @Test
    void fieldRunsOf2GiBOrMoreAreRefusedNotOverflowed() {
        int[] hugeSuper = {0, Integer.MAX_VALUE - 8};

        assertThat(FieldRuns.of(types(LONG, INT), 8, hugeSuper)).isNull();
        assertThat(FieldRuns.of(types(OBJECT), 8, hugeSuper))
                .containsExactly(8, Integer.MAX_VALUE - 8);
    }

    @Test
    void everyReadAfterAFailureFailsAgain() throws Exception {
        HprofBuilder dump = new HprofBuilder(8).utf8(1, "x").plainRecord(0x42, 100_000);
        try (InputStream in =
                RedactingInputStream.of(
                        new ByteArrayInputStream(dump.bytes()), RedactionMode.STRINGS)) {
            byte[] buffer = new byte[64];
            assertThatThrownBy(
                            () -> {
                                while (in.read(buffer) >= 0) {
                                    // until the unknown tag
                                }
                            })
                    .isInstanceOf(UnredactableException.class);

            assertThatThrownBy(() -> in.read(buffer)).isInstanceOf(UnredactableException.class);
            assertThatThrownBy(in::read).isInstanceOf(UnredactableException.class);
        }
    }

    private static UnredactableException unredactable(byte[] input, RedactionMode mode) {
        UnredactableException e =
                catchThrowableOfType(UnredactableException.class, () -> redact(input, mode, 4096));
        assertThat(e).as("redacting should have failed").isNotNull();
        return e;
    }
}
