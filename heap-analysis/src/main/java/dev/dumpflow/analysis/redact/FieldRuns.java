package dev.dumpflow.analysis.redact;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An instance's field block as runs: lengths of bytes alternately kept (object references, at even
 * indexes, the first possibly empty) and zeroed (primitive values, at odd indexes), in the order
 * HotSpot writes the fields: the class's own, then its super class's, and so on.
 */
final class FieldRuns {

    /** The longest field block that also gets {@link #masks}, and so the most they take. */
    static final int MASKED_BYTES = 64;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private int[] runs = new int[8];
    private int count = 1;
    private long total;

    private FieldRuns() {}

    /**
     * The runs of a class with {@code ownTypes}, followed by its super class's runs; null when they
     * cover 2 GiB or more (a JVM caps a class at 65,535 fields), which only a hostile chain of
     * classes does.
     */
    static int[] of(byte[] ownTypes, int idSize, int[] superRuns) {
        FieldRuns built = new FieldRuns();
        for (byte type : ownTypes) {
            built.append(type != HprofTags.OBJECT, HprofTags.valueSize(type, idSize));
        }
        for (int i = 0; i < superRuns.length; i++) {
            built.append((i & 1) == 1, superRuns[i]);
        }
        return built.total > Integer.MAX_VALUE ? null : Arrays.copyOf(built.runs, built.count);
    }

    /**
     * The runs as masks to AND with a field block's 8-byte words (read in native order), the last
     * word padded with kept bytes; null when the block is longer than {@link #MASKED_BYTES} or
     * nothing in it is zeroed. One AND per word replaces a loop per run on the hot path.
     */
    static long[] masks(int[] runs) {
        long size = size(runs);
        if (runs.length < 2 || size > MASKED_BYTES) {
            return null;
        }
        byte[] bytes = new byte[(int) (size + 7) / 8 * 8];
        Arrays.fill(bytes, (byte) 0xff);
        int at = 0;
        for (int i = 0; i < runs.length; i++) {
            if ((i & 1) == 1) {
                Arrays.fill(bytes, at, at + runs[i], (byte) 0);
            }
            at += runs[i];
        }
        long[] masks = new long[bytes.length / 8];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = (long) LONGS.get(bytes, i * 8);
        }
        return masks;
    }

    /** ANDs the block at {@code b[at]} with the masks: the caller checks it has the whole words. */
    static void applyMasks(byte[] b, int at, long[] masks) {
        for (int i = 0; i < masks.length; i++) {
            int word = at + i * 8;
            LONGS.set(b, word, (long) LONGS.get(b, word) & masks[i]);
        }
    }

    /** The bytes the runs cover: the field block's length. */
    static long size(int[] runs) {
        long size = 0;
        for (int run : runs) {
            size += run;
        }
        return size;
    }

    private void append(boolean zero, int bytes) {
        total += bytes;
        if (bytes == 0 || total > Integer.MAX_VALUE) {
            return;
        }
        boolean lastIsZero = (count & 1) == 0;
        if (lastIsZero != zero) {
            if (count == runs.length) {
                runs = Arrays.copyOf(runs, count * 2);
            }
            count++;
        }
        runs[count - 1] += bytes;
    }
}
