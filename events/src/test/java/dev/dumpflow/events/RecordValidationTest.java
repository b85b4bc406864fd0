package dev.dumpflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordValidationTest {

    @Test
    void dumpIdThatCouldEscapeAKeyOrPathIsRejected() {
        DumpClosed valid = Samples.dumpClosed();
        for (String hostile : new String[] {"../x", "a/b", ".hidden", "", "a b"}) {
            assertThatThrownBy(
                            () ->
                                    new DumpClosed(
                                            hostile,
                                            valid.fileName(),
                                            1,
                                            valid.closedAt(),
                                            valid.format(),
                                            valid.cause(),
                                            null,
                                            valid.fetch(),
                                            valid.pod()))
                    .as(hostile)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dumpId");
        }
    }

    @Test
    void fetchLocationNeverPrintsItsToken() {
        FetchLocation fetch = Samples.dumpClosed().fetch();
        assertThat(fetch.toString()).doesNotContain(fetch.token()).contains("<redacted>");
        assertThat(Samples.dumpClosed().toString()).doesNotContain(fetch.token());
    }

    @Test
    void fetchLocationRefusesANonHttpUrl() {
        assertThatThrownBy(
                        () ->
                                new FetchLocation(
                                        URI.create("file:///etc/passwd"), "t", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
    }

    @Test
    void enumsParseTheirWireNamesAndListTheAcceptedOnes() {
        assertThat(DumpFormat.of("hprof-gz")).isEqualTo(DumpFormat.HPROF_GZ);
        assertThatThrownBy(() -> DumpCause.of("boom"))
                .hasMessageContaining("oom, threshold, manual, unknown");
    }

    @Test
    void failedStageMustBeAKnownStep() {
        DumpFailed f = Samples.dumpFailed();
        assertThatThrownBy(
                        () ->
                                new DumpFailed(
                                        f.dumpId(),
                                        "lunch",
                                        f.code(),
                                        f.reason(),
                                        f.failedType(),
                                        null,
                                        null))
                .hasMessageContaining("stage");
    }

    @Test
    void failedNeedsAMachineReadableCode() {
        DumpFailed f = Samples.dumpFailed();
        assertThatThrownBy(
                        () ->
                                new DumpFailed(
                                        f.dumpId(),
                                        f.stage(),
                                        null,
                                        f.reason(),
                                        f.failedType(),
                                        null,
                                        null))
                .hasMessageContaining("code");
        assertThat(FailureCode.of("claim-refused")).isEqualTo(FailureCode.CLAIM_REFUSED);
    }

    @Test
    void byIdKeyIsDerivedFromTheDumpIdAlone() {
        assertThat(StorageLayout.byIdKey("20261122T034912Z-a1b2c3d4"))
                .isEqualTo("index/_by-id/20261122T034912Z-a1b2c3d4.json");
        assertThatThrownBy(() -> StorageLayout.byIdKey("../../dumps/x")).isNotNull();
    }

    @Test
    void unknownTypeHasNoSchema() {
        assertThat(EventTypes.isKnown("dev.dumpflow.dump.eaten")).isFalse();
        assertThatThrownBy(() -> EventTypes.dataSchema("dev.dumpflow.dump.eaten"))
                .hasMessageContaining("unknown");
        assertThat(EventTypes.dataSchema(EventTypes.DUMP_CLOSED))
                .hasToString("https://dumpflow.dev/schemas/v1/dump.closed.json");
    }

    @Test
    void growthRefusesAPreviousDumpThatIsNotOlderOrHasAHostileId() {
        Growth g = Samples.growth();
        assertThatThrownBy(
                        () ->
                                new Growth(
                                        g.previousDumpId(),
                                        g.previousClosedAt(),
                                        java.time.Duration.ZERO,
                                        g.classes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
        assertThatThrownBy(
                        () -> new Growth("../x", g.previousClosedAt(), g.interval(), g.classes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dumpId");
        assertThatThrownBy(() -> new Growth.ClassGrowth(" ", 1, 1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("className");
    }

    @Test
    void anOomKillNamesTheContainerOfItsPod() {
        ContainerOomKilled k = Samples.containerOomKilled();
        assertThatThrownBy(
                        () ->
                                new ContainerOomKilled(
                                        k.pod(),
                                        "sidecar",
                                        k.limitBytes(),
                                        k.exitCode(),
                                        k.finishedAt(),
                                        k.lastDump(),
                                        k.lastThreshold(),
                                        k.verdict()))
                .hasMessageContaining("container");
    }

    @Test
    void aHeapOrNonHeapVerdictNeedsItsFigures() {
        assertThatThrownBy(
                        () ->
                                new ContainerOomKilled.Verdict(
                                        ContainerOomKilled.Verdict.Kind.NON_HEAP,
                                        null,
                                        512L,
                                        "the heap was small"))
                .hasMessageContaining("heapBytes");
        assertThat(ContainerOomKilled.Verdict.Kind.of("non-heap"))
                .isEqualTo(ContainerOomKilled.Verdict.Kind.NON_HEAP);
        assertThatThrownBy(() -> ContainerOomKilled.Verdict.Kind.of("stack"))
                .hasMessageContaining("heap, non-heap, unknown");
    }

    @Test
    void aLastDumpCannotCloseAfterTheKill() {
        assertThatThrownBy(
                        () ->
                                new ContainerOomKilled.LastDump(
                                        "d-1", DumpCause.THRESHOLD, Samples.CLOSED_AT, -3))
                .hasMessageContaining("secondsBeforeKill");
    }

    @Test
    void aRedactionNamesARealModeAndTheOriginalsChecksum() {
        assertThatThrownBy(() -> new Redaction("none", Samples.SHA256, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strings or primitives");
        assertThatThrownBy(() -> new Redaction("strings", "abc", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256");
        assertThat(new Redaction("primitives", Samples.SHA256, true).originalKept()).isTrue();
    }
}
