package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The pace one transfer from a sidecar must keep, so that a sidecar sending a byte now and then
 * cannot hold one of the few archive slots ({@link ArchiveSlots}) for as long as it likes. Two
 * rules, checked whenever a read from the sidecar ends and before every resume:
 *
 * <ul>
 *   <li><b>slow</b>: over the last window of time spent waiting for the sidecar, it sent at least
 *       the minimum rate. Only time inside reads counts: while the archive compresses or waits on
 *       S3, the sidecar is not to blame, and the bytes wait in the socket's buffer. The first
 *       window is a grace period, and bytes sent early cover at most one window of stalling.
 *   <li><b>too-long</b>: the transfer ends within {@code size / min-rate + window} of wall-clock
 *       time, whatever slowed it; the longest a transfer of that size keeps a slot.
 * </ul>
 *
 * <p>A broken rule ends the transfer with a retryable {@link FunctionFailure}, counted once by
 * {@code onCut}; the Broker delivers the event again later. The clock is a nanosecond counter, so
 * tests can drive it. Used by the one thread that reads the transfer.
 */
final class TransferPace {

    /** Why a transfer was cut, the {@code reason} label of the metric. */
    enum Cut {
        /** Below the minimum rate over the last window of waiting for the sidecar. */
        SLOW,
        /** Past the time its announced size allows at the minimum rate, plus one window. */
        TOO_LONG;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The minimum pace, from {@code dumpflow.fetch.min-rate} and {@code
     * dumpflow.fetch.min-rate-window}.
     */
    record Rule(long bytesPerSecond, Duration window) {
        Rule {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException(
                        "dumpflow.fetch.min-rate must be at least 1 byte per second, was "
                                + bytesPerSecond);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException(
                        "dumpflow.fetch.min-rate-window must be more than 0, was " + window);
            }
        }

        static Rule of(ArchiveConfig.Fetch fetch) {
            return new Rule(fetch.minRate().asLongValue(), fetch.minRateWindow());
        }

        /** The longest a transfer of {@code size} bytes may take: size / rate + window. */
        long longestNanos(long size) {
            double nanos = size * 1e9 / bytesPerSecond + window.toNanos();
            return nanos >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) nanos;
        }
    }

    /** The window is kept as this many slices of waiting time, each with its byte count. */
    private static final int SLICES = 20;

    private final String dumpId;
    private final long size;
    private final Rule rule;
    private final LongSupplier clock;
    private final Consumer<Cut> onCut;
    private final long started;
    private final long longest;
    private final long windowNanos;
    private final long sliceNanos;
    private final long[] sliceIndex = new long[SLICES];
    private final long[] sliceBytes = new long[SLICES];
    private long waited;
    private long readStartedAt = -1;
    private long received;
    private FunctionFailure cut;

    TransferPace(String dumpId, long size, Rule rule, LongSupplier clock, Consumer<Cut> onCut) {
        this.dumpId = dumpId;
        this.size = size;
        this.rule = rule;
        this.clock = clock;
        this.onCut = onCut;
        this.started = clock.getAsLong();
        this.longest = rule.longestNanos(size);
        this.windowNanos = rule.window().toNanos();
        this.sliceNanos = Math.max(1, windowNanos / SLICES);
        Arrays.fill(sliceIndex, -1);
    }

    /** A read from the sidecar begins: from now on the archive waits for it. */
    void readStarted() {
        readStartedAt = clock.getAsLong();
    }

    /**
     * The read ended with {@code n} bytes ({@code -1} at the end of the dump, which is never cut:
     * the sidecar is done).
     *
     * @throws FunctionFailure when the transfer broke a rule
     */
    void readEnded(int n) {
        stopWaiting();
        if (n < 0) {
            return;
        }
        received += n;
        long slice = waited / sliceNanos;
        int i = (int) (slice % SLICES);
        if (sliceIndex[i] != slice) {
            sliceIndex[i] = slice;
            sliceBytes[i] = 0;
        }
        sliceBytes[i] += n;
        check();
    }

    /** The read failed; the failure is the reader's to report. */
    void readFailed() {
        stopWaiting();
    }

    /**
     * Checks both rules now, counting a read in progress as waiting: the resume of a broken
     * connection asks this first, so that a sidecar already too slow gets no second connection.
     *
     * @throws FunctionFailure when the transfer broke a rule; again on every later call
     */
    void check() {
        if (cut != null) {
            throw cut;
        }
        long now = clock.getAsLong();
        if (now - started > longest) {
            cut(
                    Cut.TOO_LONG,
                    "dump %s: %d of %d bytes after %d s, longer than a transfer of this size may take"
                                    .formatted(
                                            dumpId,
                                            received,
                                            size,
                                            (now - started) / 1_000_000_000L)
                            + " (size / dumpflow.fetch.min-rate + dumpflow.fetch.min-rate-window)");
        }
        long waiting = waited + (readStartedAt < 0 ? 0 : now - readStartedAt);
        if (waiting < windowNanos) {
            return;
        }
        long last = waiting / sliceNanos;
        long first = last - SLICES + 1;
        long bytes = 0;
        for (int i = 0; i < SLICES; i++) {
            if (sliceIndex[i] >= first && sliceIndex[i] <= last) {
                bytes += sliceBytes[i];
            }
        }
        double seconds = (waiting - first * sliceNanos) / 1e9;
        if (bytes < rule.bytesPerSecond() * seconds) {
            cut(
                    Cut.SLOW,
                    "dump %s: the sidecar sent %d bytes in the last %.1f s of waiting for it, below"
                                    .formatted(dumpId, bytes, seconds)
                            + " dumpflow.fetch.min-rate (%d bytes/s)"
                                    .formatted(rule.bytesPerSecond()));
        }
    }

    private void stopWaiting() {
        if (readStartedAt >= 0) {
            waited += clock.getAsLong() - readStartedAt;
            readStartedAt = -1;
        }
    }

    private void cut(Cut why, String what) {
        cut =
                FunctionFailure.unavailable(
                        what
                                + "; the transfer is cut to free its archive slot, and the dump stays"
                                + " on the sidecar for the next delivery",
                        null);
        onCut.accept(why);
        throw cut;
    }
}
