package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnouncedDumpsTest {

    static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");

    @TempDir Path state;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aStateFileFromBeforeReannouncementLoadsAsAnnouncedOnceWhenItClosed() throws Exception {
        Path file = state.resolve("java_pid7.hprof");
        Files.write(file, new byte[] {1});
        // Exactly what the sidecar wrote before announcedAt and announcements were kept.
        Files.writeString(
                state.resolve("announcements.json"),
                """
                [{"dumpId":"20261206T040000Z-abc","file":"%s","sizeBytes":1,\
                "modifiedMillis":1765000000000,"closedAt":"2026-12-06T04:00:00Z",\
                "format":"hprof","cause":"oom","pid":7,\
                "token":"c2VjcmV0LXRva2VuLW9mLXRoaXJ0eS10d28tYnl0ZXMh",\
                "expiresAt":"2026-12-06T10:00:00Z"}]
                """
                        .formatted(file.toUri()));

        AnnouncedDumps registry = AnnouncedDumps.open(state, Duration.ofHours(6), clock);

        AnnouncedDump dump = registry.find("20261206T040000Z-abc").orElseThrow();
        assertThat(dump.file()).isEqualTo(file);
        assertThat(dump.format()).isEqualTo(DumpFormat.HPROF);
        assertThat(dump.cause()).isEqualTo(DumpCause.OOM);
        assertThat(dump.announcements()).isEqualTo(1);
        assertThat(dump.announcedAt()).isEqualTo(Instant.parse("2026-12-06T04:00:00Z"));
        assertThat(Files.readString(state.resolve("announcements.json")))
                .contains("\"announcements\":1", "\"announcedAt\":\"2026-12-06T04:00:00Z\"")
                .contains("\"file\":\"" + file.toUri() + "\"");
    }

    @Test
    void announcingAgainKeepsIdAndTokenCountsAndSurvivesARestart() throws Exception {
        Path file = state.resolve("core.42");
        Files.write(file, new byte[] {1});
        AnnouncedDumps registry = AnnouncedDumps.open(state, Duration.ofHours(6), clock);
        AnnouncedDump first =
                registry.announce("d1", file, 1, 1, NOW, DumpFormat.CORE, DumpCause.MANUAL, 42L);

        AnnouncedDumps later =
                AnnouncedDumps.open(
                        state,
                        Duration.ofHours(6),
                        Clock.fixed(NOW.plusSeconds(900), ZoneOffset.UTC));
        AnnouncedDump again = later.announceAgain("d1").orElseThrow();

        assertThat(again.token()).isEqualTo(first.token());
        assertThat(again.announcements()).isEqualTo(2);
        assertThat(again.announcedAt()).isEqualTo(NOW.plusSeconds(900));
        assertThat(again.expiresAt()).isEqualTo(NOW.plusSeconds(900).plus(Duration.ofHours(6)));
        AnnouncedDump reloaded =
                AnnouncedDumps.open(state, Duration.ofHours(6), clock).find("d1").orElseThrow();
        assertThat(reloaded.announcements()).isEqualTo(2);
        assertThat(later.announceAgain("gone")).isEmpty();
    }
}
