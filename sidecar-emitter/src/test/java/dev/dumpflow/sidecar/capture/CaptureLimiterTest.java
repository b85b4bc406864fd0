package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureLimiterTest {

    @TempDir Path state;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T04:00:00Z"));
    private final CaptureLimit threePerHour = CaptureLimit.parse("3/1h");

    private CaptureLimiter limiter(Duration cooldown) {
        return new CaptureLimiter(threePerHour, cooldown, new CaptureLedger(state), clock);
    }

    @Test
    void refusesTheFourthCaptureInTheWindowAndSaysWhyAndWhenTheNextIsAllowed() {
        CaptureLimiter limiter = limiter(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("app")).isEmpty();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(limiter.tryAcquire("app"))
                .hasValueSatisfying(
                        reason ->
                                assertThat(reason)
                                        .contains("capture limit reached")
                                        .contains("3 captures")
                                        .contains("DUMPFLOW_CAPTURE_LIMIT=3/1h")
                                        .contains("next allowed at 2026-11-22T05:00:00Z"));
    }

    @Test
    void limitsSurviveARestartThroughTheLedgerFile() {
        CaptureLimiter before = limiter(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(before.tryAcquire("app")).isEmpty();
        }
        assertThat(Files.exists(state.resolve("captures.json"))).isTrue();

        CaptureLimiter afterRestart = limiter(Duration.ZERO);
        assertThat(afterRestart.tryAcquire("app"))
                .hasValueSatisfying(r -> assertThat(r).contains("limit"));
        assertThat(afterRestart.tryAcquire("another-program")).isEmpty();
    }

    @Test
    void theWindowSlidesSoOldCapturesStopCounting() {
        CaptureLimiter limiter = limiter(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("app");
        }
        clock.advance(Duration.ofMinutes(61));
        assertThat(limiter.tryAcquire("app")).isEmpty();
    }

    @Test
    void cooldownRefusesACaptureTooSoonAfterTheLastOne() {
        CaptureLimiter limiter = limiter(Duration.ofMinutes(10));
        assertThat(limiter.tryAcquire("app")).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.tryAcquire("app"))
                .hasValueSatisfying(
                        r ->
                                assertThat(r)
                                        .contains("cooldown")
                                        .contains("next allowed at 2026-11-22T04:10:00Z"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.tryAcquire("app")).isEmpty();
    }

    @Test
    void aCorruptLedgerFailsLoudlyRatherThanForgettingTheLimits() throws Exception {
        Files.writeString(state.resolve("captures.json"), "{not json");
        assertThatThrownBy(() -> limiter(Duration.ZERO))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("captures.json");
    }

    @Test
    void theLedgerIsReplacedWholeWithNoTemporaryFileLeftBehind() throws Exception {
        CaptureLimiter limiter = limiter(Duration.ZERO);
        limiter.tryAcquire("app");
        limiter.tryAcquire("app");
        try (var files = Files.list(state)) {
            assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly("captures.json");
        }
        assertThat(Files.readString(state.resolve("captures.json")))
                .contains("\"app\"")
                .contains("2026-11-22T04:00:00Z");
    }
}
