package dev.dumpflow.analysis.redact;

import java.util.Arrays;

/**
 * Value bytes the redactor passes in bulk, across as many chunks as they span: one run kept or
 * zeroed (an array's elements, a record's body, a static value), or an instance's {@link
 * FieldRuns}. Zeroing is {@link Arrays#fill} over the caller's buffer: no per-byte work, no copy.
 */
final class PendingBytes {

    private long left;
    private boolean zero;
    private int[] runs;
    private int index;

    /** Next, {@code length} bytes, zeroed or kept. */
    void run(long length, boolean zero) {
        this.runs = null;
        this.left = length;
        this.zero = zero;
    }

    /** Next, an instance's field block: even runs kept, odd runs zeroed. */
    void fields(int[] runs) {
        this.runs = runs;
        this.index = -1;
        this.left = 0;
        nextRun();
    }

    boolean done() {
        return left == 0;
    }

    /** Passes the pending bytes found in {@code b[pos, end)}; returns where they stop. */
    int pass(byte[] b, int pos, int end) {
        while (left > 0 && pos < end) {
            int n = (int) Math.min(left, end - pos);
            if (zero) {
                Arrays.fill(b, pos, pos + n, (byte) 0);
            }
            pos += n;
            left -= n;
            if (left == 0 && runs != null) {
                nextRun();
            }
        }
        return pos;
    }

    private void nextRun() {
        while (++index < runs.length) {
            left = runs[index];
            zero = (index & 1) == 1;
            if (left > 0) {
                return;
            }
        }
        left = 0;
    }
}
