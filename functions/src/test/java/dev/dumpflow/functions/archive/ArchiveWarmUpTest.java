package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ArchiveWarmUpTest {

    private static final String GAUGE = "dumpflow.archive.warm-up.seconds";

    /** The settings the warm-up reads; the rest of the archive's configuration is not its own. */
    private static ArchiveConfig config(boolean warmUp) {
        ArchiveConfig.Compression compression =
                new ArchiveConfig.Compression() {
                    @Override
                    public int level() {
                        return 1;
                    }

                    @Override
                    public OptionalInt workers() {
                        return OptionalInt.of(2);
                    }
                };
        ArchiveConfig.Archive archive =
                new ArchiveConfig.Archive() {
                    @Override
                    public Duration analysisTimeout() {
                        return Duration.ofSeconds(30);
                    }

                    @Override
                    public int maxConcurrent() {
                        return 2;
                    }

                    @Override
                    public Duration slotWait() {
                        return Duration.ofMinutes(10);
                    }

                    @Override
                    public boolean warmUp() {
                        return warmUp;
                    }
                };
        return new ArchiveConfig() {
            @Override
            public Compression compression() {
                return compression;
            }

            @Override
            public Upload upload() {
                throw new UnsupportedOperationException("not the warm-up's");
            }

            @Override
            public Fetch fetch() {
                throw new UnsupportedOperationException("not the warm-up's");
            }

            @Override
            public Archive archive() {
                return archive;
            }
        };
    }

    @Test
    void startUpRunsTheWarmUpOnItsOwnThreadAndReportsHowLongItTook() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ArchiveWarmUp(config(true), registry).onStart(null);

        Gauge took = null;
        for (long deadline = System.nanoTime() + 60_000_000_000L;
                took == null && System.nanoTime() < deadline; ) {
            took = registry.find(GAUGE).gauge();
            Thread.sleep(50);
        }
        assertThat(took).as("the warm-up's gauge, registered once it ran").isNotNull();
        assertThat(took.value()).isPositive();
    }

    @Test
    void aDisabledWarmUpRunsNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ArchiveWarmUp(config(false), registry).onStart(null);

        Thread.sleep(500);
        assertThat(registry.find(GAUGE).gauge()).isNull();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("archive-warm-up"));
    }
}
