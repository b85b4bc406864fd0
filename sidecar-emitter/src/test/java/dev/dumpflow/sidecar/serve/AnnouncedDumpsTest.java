package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
        Files.setLastModifiedTime(file, FileTime.fromMillis(1765000000000L));
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
        Files.setLastModifiedTime(file, FileTime.fromMillis(1));
        AnnouncedDumps registry = AnnouncedDumps.open(state, Duration.ofHours(6), clock);
        AnnouncedDump first =
                Announcing.announce(
                        registry, "d1", file, 1, 1, NOW, DumpFormat.CORE, DumpCause.MANUAL, 42L);

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

    @Test
    void loadsAStateFileExactlyAsTheJacksonSidecarWroteItAndWritesItBackUnchanged()
            throws Exception {
        // Written by the sidecar of 691afad (Jackson 2.21.2) with two dumps, one announced twice.
        byte[] written;
        try (InputStream in =
                getClass().getResourceAsStream("announcements-written-by-jackson.json")) {
            written = in.readAllBytes();
        }
        AnnouncementsFile stateFile = new AnnouncementsFile(state.resolve("announcements.json"));
        Files.write(stateFile.path(), written);

        // The format only: the registry would forget these dumps, whose files are not here.
        List<AnnouncedDump> loaded = stateFile.load();
        stateFile.save(loaded);

        assertThat(loaded)
                .extracting(AnnouncedDump::dumpId)
                .containsExactly("20261206T040000Z-7f3a", "20261206T040001Z-91bc");
        AnnouncedDump twice = loaded.get(0);
        assertThat(twice.file()).isEqualTo(Path.of("/dumps/java_pid7.hprof"));
        assertThat(twice.sizeBytes()).isEqualTo(1048576);
        assertThat(twice.modifiedMillis()).isEqualTo(1765000000123L);
        assertThat(twice.closedAt()).isEqualTo(Instant.parse("2026-12-06T03:59:58Z"));
        assertThat(twice.format()).isEqualTo(DumpFormat.HPROF);
        assertThat(twice.cause()).isEqualTo(DumpCause.OOM);
        assertThat(twice.pid()).isEqualTo(7L);
        assertThat(twice.acceptsToken("yv2BYsy62GeEn7Z9mitl7J9z0cjUs4vsTlUGU5sXi7A")).isTrue();
        assertThat(twice.expiresAt()).isEqualTo(Instant.parse("2026-12-06T10:15:00.123456Z"));
        assertThat(twice.announcedAt()).isEqualTo(Instant.parse("2026-12-06T04:15:00.123456Z"));
        assertThat(twice.announcements()).isEqualTo(2);
        AnnouncedDump once = loaded.get(1);
        assertThat(once.file()).isEqualTo(Path.of("/dumps/nightly run/core.dump-\u00e9"));
        assertThat(once.closedAt()).isEqualTo(Instant.parse("2026-12-06T03:59:59.5Z"));
        assertThat(once.format()).isEqualTo(DumpFormat.CORE);
        assertThat(once.cause()).isEqualTo(DumpCause.MANUAL);
        assertThat(once.pid()).isNull();
        assertThat(once.announcements()).isEqualTo(1);
        // Written again: byte for byte what Jackson wrote.
        assertThat(Files.readAllBytes(state.resolve("announcements.json"))).isEqualTo(written);
    }

    @Test
    void whatItWritesLoadsAgainUnchangedOwnerOnlyAndTheJacksonCodeReadsItToo() throws Exception {
        AnnouncedDumps registry = AnnouncedDumps.open(state, Duration.ofHours(6), clock);
        Announcing.announce(
                registry,
                "d1",
                state.resolve("java_pid7.hprof"),
                10,
                11,
                NOW.minusNanos(1),
                DumpFormat.HPROF_GZ,
                DumpCause.THRESHOLD,
                7L);
        Announcing.announce(
                registry,
                "d2",
                state.resolve("a \"quoted\" name %20 \u00e9\u4e2d.dmp"),
                0,
                0,
                NOW,
                DumpFormat.DOTNET,
                DumpCause.UNKNOWN,
                null);
        Announcing.announce(
                registry, "d3", Path.of("/"), 1, 1, NOW, DumpFormat.UNKNOWN, DumpCause.MANUAL, 1L);
        registry.announceAgain("d1");
        List<AnnouncedDump> before = registry.all();

        // The format only: a restarted registry would forget these dumps, whose files are not here.
        List<AnnouncedDump> reloaded =
                new AnnouncementsFile(state.resolve("announcements.json")).load();

        assertThat(reloaded).isEqualTo(before);
        // A sidecar rolled back to the Jackson code (691afad and earlier) reads it as well.
        ObjectMapper jacksonSidecar =
                new ObjectMapper()
                        .registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        assertThat(
                        jacksonSidecar.readValue(
                                state.resolve("announcements.json").toFile(),
                                new TypeReference<List<AnnouncedDump>>() {}))
                .isEqualTo(before);
        assertThat(Files.getPosixFilePermissions(state.resolve("announcements.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(state.resolve("announcements.json.tmp")).doesNotExist();
    }

    @Test
    void refusesToStartFromAStateFileItCannotReadAndLeavesTheFileAsItWas() throws Exception {
        String valid =
                """
                {"dumpId":"d1","file":"file:///dumps/core.1","sizeBytes":1,\
                "modifiedMillis":1,"closedAt":"2026-12-06T04:00:00Z","format":"core",\
                "cause":"oom","pid":null,"token":"dG9rZW4","expiresAt":"2026-12-06T10:00:00Z"\
                """;
        List<String> unreadable =
                List.of(
                        "",
                        "[" + valid,
                        "{" + valid.substring(1) + "}",
                        "[" + valid.replace("\"core\"", "\"zip\"") + "}]",
                        "[" + valid.replace(",\"token\":\"dG9rZW4\"", "") + "}]",
                        "[" + valid + ",\"extra\":1}]");
        for (String text : unreadable) {
            Path file = state.resolve("announcements.json");
            Files.writeString(file, text);

            assertThatThrownBy(() -> AnnouncedDumps.open(state, Duration.ofHours(6), clock))
                    .as(text)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(state.toString());
            assertThat(Files.readString(file)).as(text).isEqualTo(text);
        }
    }
}
