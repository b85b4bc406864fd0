package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.config.Env;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import dev.dumpflow.sidecar.serve.AnnouncedDumps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReannouncerTest {

    /** A clock the test moves by hand, so that no test waits for the interval. */
    static final class HandClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-06T05:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final Duration TTL = Duration.ofHours(1);

    @TempDir Path dumps;

    final HandClock clock = new HandClock();
    final RecordingSink sink = new RecordingSink();
    AnnouncedDumps registry;
    Reannouncer reannouncer;

    void start(ReannounceConfig config) throws Exception {
        registry = AnnouncedDumps.open(dumps.resolve(".dumpflow"), TTL, clock);
        DumpAnnouncer announcer =
                new DumpAnnouncer(
                        registry,
                        sink,
                        Samples.pod(),
                        "http://127.0.0.1:1/dumps/",
                        clock,
                        new SidecarMetrics());
        Path file = dumps.resolve("java_pid7.hprof");
        Files.write(file, "JAVA PROFILE 1.0.2\0xxxx".getBytes(StandardCharsets.US_ASCII));
        announcer.announce(file, FileState.of(file).orElseThrow());
        reannouncer = Reannouncer.manual(config, registry, announcer, clock);
    }

    @Test
    void aDumpStillOnDiskIsAnnouncedAgainWithTheSameIdAndTokenAndALaterExpiry() throws Exception {
        start(new ReannounceConfig(Duration.ofMinutes(15)));
        RecordingSink.Emitted first = sink.all().getFirst();

        clock.advance(Duration.ofMinutes(14));
        assertThat(reannouncer.announceDue()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(reannouncer.announceDue()).isEqualTo(1);

        RecordingSink.Emitted again = sink.all().get(1);
        assertThat(again.type()).isEqualTo(EventTypes.DUMP_CLOSED);
        assertThat(again.dumpId()).isEqualTo(first.dumpId());
        assertThat(again.data().dumpId()).isEqualTo(first.data().dumpId());
        assertThat(again.data().fetch().token()).isEqualTo(first.data().fetch().token());
        assertThat(again.data().fetch().url()).isEqualTo(first.data().fetch().url());
        assertThat(again.data().fetch().expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(registry.find(first.dumpId()).orElseThrow().announcements()).isEqualTo(2);
    }

    @Test
    void theWaitDoublesAfterEachAnnouncementUpToSixHours() throws Exception {
        start(new ReannounceConfig(Duration.ofMinutes(15)));
        // 15m, 30m, 1h, 2h, 4h, then 6h each time.
        long[] waitsInMinutes = {15, 30, 60, 120, 240, 360, 360};
        for (long wait : waitsInMinutes) {
            clock.advance(Duration.ofMinutes(wait).minusSeconds(1));
            assertThat(reannouncer.announceDue()).as("before %d min", wait).isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(reannouncer.announceDue()).as("at %d min", wait).isEqualTo(1);
        }
        assertThat(sink.all()).hasSize(1 + waitsInMinutes.length);
    }

    @Test
    void aDumpArchiveDeletedIsNeverAnnouncedAgain() throws Exception {
        start(new ReannounceConfig(Duration.ofMinutes(15)));
        String dumpId = sink.all().getFirst().dumpId();

        registry.remove(dumpId);
        clock.advance(Duration.ofDays(2));

        assertThat(reannouncer.announceDue()).isZero();
        assertThat(sink.all()).hasSize(1);
    }

    @Test
    void aDumpWhoseFileWentAwayIsForgottenNotAnnounced() throws Exception {
        start(new ReannounceConfig(Duration.ofMinutes(15)));
        Files.delete(dumps.resolve("java_pid7.hprof"));
        clock.advance(Duration.ofHours(1));

        assertThat(reannouncer.announceDue()).isZero();
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void offNeverAnnouncesAgain() throws Exception {
        ReannounceConfig off =
                ReannounceConfig.fromEnv(Env.of(Map.of(ReannounceConfig.AFTER, "off")));
        assertThat(off.enabled()).isFalse();
        start(off);
        clock.advance(Duration.ofDays(2));

        assertThat(reannouncer.announceDue()).isZero();
        assertThat(sink.all()).hasSize(1);
    }
}
