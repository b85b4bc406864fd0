package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.functions.FunctionFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ArchiveSlotsTest {

    @Test
    void aThirdArchiveWaitsUntilOneOfTwoRunningArchivesEnds() throws Exception {
        ArchiveSlots slots = new ArchiveSlots(2, Duration.ofMinutes(1));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> archives = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String dumpId = "dump-" + i;
            archives.add(
                    Thread.ofPlatform()
                            .start(
                                    () ->
                                            slots.run(
                                                    dumpId,
                                                    () -> {
                                                        peak.accumulateAndGet(
                                                                running.incrementAndGet(),
                                                                Math::max);
                                                        await(release);
                                                        running.decrementAndGet();
                                                        return done.incrementAndGet();
                                                    })));
        }

        awaitTrue("two archives running and a third waiting", () -> slots.waiting() == 1);
        assertThat(running.get()).isEqualTo(2);
        release.countDown();
        for (Thread archive : archives) {
            archive.join(10_000);
        }

        assertThat(done.get()).as("every archive ran").isEqualTo(3);
        assertThat(peak.get()).as("archives running at once").isEqualTo(2);
    }

    @Test
    void answersRetryableWhenNoSlotFreesInTime() throws Exception {
        ArchiveSlots slots = new ArchiveSlots(1, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Thread holder =
                Thread.ofPlatform()
                        .start(
                                () ->
                                        slots.run(
                                                "dump-held",
                                                () -> {
                                                    holding.countDown();
                                                    return await(release);
                                                }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThatThrownBy(() -> slots.run("dump-late", () -> "archived"))
                    .isInstanceOfSatisfying(
                            FunctionFailure.class,
                            f -> {
                                assertThat(f.kind()).isEqualTo(FunctionFailure.Kind.UNAVAILABLE);
                                assertThat(f.kind().retryable()).isTrue();
                            })
                    .hasMessageContaining("dump-late");
        } finally {
            release.countDown();
            holder.join(10_000);
        }
        assertThat(slots.run("dump-after", () -> "archived"))
                .as("the slot is free again")
                .isEqualTo("archived");
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
