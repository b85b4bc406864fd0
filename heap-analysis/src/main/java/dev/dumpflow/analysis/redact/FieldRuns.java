package dev.dumpflow.analysis.redact;

import java.util.Arrays;

/**
 * An instance's field block as runs: lengths of bytes alternately kept (object references, at even
 * indexes, the first possibly empty) and zeroed (primitive values, at odd indexes), in the order
 * HotSpot writes the fields: the class's own, then its super class's, and so on.
 */
final class FieldRuns {

    private int[] runs = new int[8];
    private int count = 1;

    private FieldRuns() {}

    /** The runs of a class with {@code ownTypes}, followed by its super class's runs. */
    static int[] of(byte[] ownTypes, int idSize, int[] superRuns) {
        FieldRuns built = new FieldRuns();
        for (byte type : ownTypes) {
            built.append(type != HprofTags.OBJECT, HprofTags.valueSize(type, idSize));
        }
        for (int i = 0; i < superRuns.length; i++) {
            built.append((i & 1) == 1, superRuns[i]);
        }
        return Arrays.copyOf(built.runs, built.count);
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
        if (bytes == 0) {
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
