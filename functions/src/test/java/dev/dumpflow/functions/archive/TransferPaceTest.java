package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.functions.FunctionFailure;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The pace rules on a clock the test drives: a scripted sidecar whose every read takes a set time
 * and brings a set number of bytes, read through {@link PacedBody} as the archive reads.
 */
class TransferPaceTest {

    private static final TransferPace.Rule RULE =
            new TransferPace.Rule(1000, Duration.ofSeconds(10));

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<TransferPace.Cut> cuts = new ArrayList<>();

    @Test
    void aTrickleIsCutAtItsFirstByteAfterAWindowBelowTheRate() {
        // One byte per second of waiting, where 1000 bytes per second are due.
        PacedBody body = body(1_000_000, Duration.ofSeconds(1), 1);

        for (int i = 0; i < 9; i++) {
            assertThat(read(body)).isEqualTo(1);
        }
        assertThatThrownBy(() -> read(body))
                .isInstanceOfSatisfying(
                        FunctionFailure.class,
                        f -> assertThat(f.kind().retryable()).as("the Broker retries it").isTrue())
                .hasMessageContaining("dump-1")
                .hasMessageContaining("dumpflow.fetch.min-rate");
        assertThat(cuts).containsExactly(TransferPace.Cut.SLOW);
    }

    @Test
    void aSidecarAboveTheRateRunsToTheEndOfItsDump() {
        // 2000 bytes per second of waiting, twice the minimum, for 50 s: five windows.
        PacedBody body = body(100_000, Duration.ofSeconds(1), 2000);

        long total = 0;
        int n;
        while ((n = read(body)) >= 0) {
            total += n;
        }
        assertThat(total).isEqualTo(100_000);
        assertThat(cuts).isEmpty();
    }

    @Test
    void timeTheArchiveSpendsBetweenReadsIsNotTheSidecarsToBlame() {
        // Every read is answered at once, and the archive then takes 5 s (a slow S3) for 100 bytes:
        // 20 bytes per second of wall-clock time, yet the sidecar never kept it waiting.
        PacedBody body = body(1_000_000, Duration.ZERO, 100);

        for (int i = 0; i < 30; i++) {
            assertThat(read(body)).isEqualTo(100);
            advance(Duration.ofSeconds(5));
        }
        assertThat(cuts).isEmpty();
    }

    @Test
    void aTransferLongerThanItsSizeAllowsIsCutTooLongWhateverSlowedIt() {
        // 2000 bytes may take 2000 / 1000 s + the 10 s window = 12 s.
        PacedBody body = body(2000, Duration.ZERO, 100);

        for (int i = 0; i < 3; i++) {
            assertThat(read(body)).isEqualTo(100);
            advance(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> read(body))
                .isInstanceOfSatisfying(
                        FunctionFailure.class, f -> assertThat(f.kind().retryable()).isTrue())
                .hasMessageContaining("dumpflow.fetch.min-rate-window");
        assertThat(cuts).containsExactly(TransferPace.Cut.TOO_LONG);
    }

    @Test
    void bytesSentEarlyCoverNoMoreThanOneWindowOfStalling() {
        // 1 MB at once would cover 1000 s at the minimum rate; then 11 s of waiting for a byte.
        PacedBody body =
                new PacedBody(
                        new FastThenStalled(1_000_000, Duration.ofSeconds(11)), pace(1L << 30));

        assertThat(read(body)).isEqualTo(1_000_000);
        assertThatThrownBy(() -> read(body)).isInstanceOf(FunctionFailure.class);
        assertThat(cuts).containsExactly(TransferPace.Cut.SLOW);
    }

    @Test
    void aReadInProgressCountsAsWaitingWhenAResumeAsks() {
        TransferPace pace = pace(1_000_000);
        pace.readStarted();
        advance(Duration.ofSeconds(9));
        pace.check(); // within the first window

        advance(Duration.ofSeconds(2));
        assertThatThrownBy(pace::check).isInstanceOf(FunctionFailure.class);
        assertThatThrownBy(pace::check)
                .as("and on every later ask")
                .isInstanceOf(FunctionFailure.class);
        assertThat(cuts).as("counted once").containsExactly(TransferPace.Cut.SLOW);
    }

    @Test
    void theEndOfTheDumpIsNeverCut() {
        PacedBody body = body(2000, Duration.ZERO, 2000);
        assertThat(read(body)).isEqualTo(2000);
        advance(Duration.ofMinutes(5));

        assertThat(read(body)).isEqualTo(-1);
        assertThat(cuts).isEmpty();
    }

    @Test
    void refusesARateOrWindowOfZeroNamingTheSetting() {
        assertThatThrownBy(() -> new TransferPace.Rule(0, Duration.ofSeconds(30)))
                .hasMessageContaining("dumpflow.fetch.min-rate ");
        assertThatThrownBy(() -> new TransferPace.Rule(1, Duration.ZERO))
                .hasMessageContaining("dumpflow.fetch.min-rate-window");
    }

    private TransferPace pace(long size) {
        return new TransferPace("dump-1", size, RULE, clock::get, cuts::add);
    }

    private PacedBody body(long size, Duration perRead, int bytesPerRead) {
        return new PacedBody(new Scripted(perRead, bytesPerRead, size), pace(size));
    }

    private static int read(InputStream body) {
        try {
            return body.read(new byte[1 << 20]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    /** A sidecar whose every read waits {@code perRead} and brings {@code bytes}, up to a size. */
    private final class Scripted extends InputStream {
        private final long perRead;
        private final int bytes;
        private long left;

        Scripted(Duration perRead, int bytes, long size) {
            this.perRead = perRead.toNanos();
            this.bytes = bytes;
            this.left = size;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            clock.addAndGet(perRead);
            int n = (int) Math.min(Math.min(bytes, length), left);
            left -= n;
            return n;
        }
    }

    /** A first read of {@code first} bytes at once, then reads that wait {@code stall} for one. */
    private final class FastThenStalled extends InputStream {
        private final int first;
        private final long stall;
        private boolean started;

        FastThenStalled(int first, Duration stall) {
            this.first = first;
            this.stall = stall.toNanos();
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (!started) {
                started = true;
                return first;
            }
            clock.addAndGet(stall);
            return 1;
        }
    }
}
