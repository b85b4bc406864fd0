package dev.dumpflow.functions.oom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.events.ContainerOomKilled.Verdict;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Samples;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    static final long MIB = 1024 * 1024;
    static final long LIMIT = 512 * MIB;
    static final Verdicts VERDICTS = new Verdicts(0.6);

    @Test
    void refusesAHeapShareOutsideItsRangeNamingTheSetting() {
        assertThatThrownBy(() -> new Verdicts(0)).hasMessageContaining("dumpflow.oom.heap-share");
        assertThatThrownBy(() -> new Verdicts(1.5)).hasMessageContaining("dumpflow.oom.heap-share");
    }

    @Test
    void aHeapJustAtTheShareIsHeapAndJustBelowIsNonHeap() {
        long share = (long) Math.ceil(0.6 * LIMIT);
        assertThat(judge(dump(share, false)).kind()).isEqualTo(Verdict.Kind.HEAP);
        assertThat(judge(dump(share - 1, false)).kind()).isEqualTo(Verdict.Kind.NON_HEAP);
    }

    @Test
    void aPartialAnalysisBelowTheShareCannotTellButAboveItStillCan() {
        assertThat(judge(dump(100 * MIB, true)).kind()).isEqualTo(Verdict.Kind.UNKNOWN);
        assertThat(judge(dump(100 * MIB, true)).explanation()).contains("partial");
        assertThat(judge(dump(400 * MIB, true)).kind()).isEqualTo(Verdict.Kind.HEAP);
    }

    @Test
    void aDumpWithoutHeapAnalysisIsUnknownAndSaysWhy() {
        IndexRecord r = dump(0, false);
        IndexRecord dotnet =
                new IndexRecord(
                        r.dumpId(),
                        "core.42",
                        r.closedAt(),
                        DumpFormat.DOTNET,
                        r.cause(),
                        r.pid(),
                        r.bucket(),
                        r.key(),
                        r.codec(),
                        r.rawBytes(),
                        r.storedBytes(),
                        r.sha256(),
                        r.archivedAt(),
                        r.pod(),
                        null,
                        null,
                        null);

        Verdict verdict = judge(dotnet);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.UNKNOWN);
        assertThat(verdict.explanation()).contains("no heap analysis", "dotnet");
    }

    @Test
    void aContainerWithoutLimitCannotBeJudgedAgainstOne() {
        Verdict verdict = VERDICTS.judge(null, dump(400 * MIB, false), Samples.KILLED_AT, null);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.UNKNOWN);
        assertThat(verdict.heapBytes()).isEqualTo(400 * MIB);
        assertThat(verdict.explanation()).contains("no memory limit");
    }

    @Test
    void aDumpLongBeforeTheKillSaysTheHeapMayHaveGrownSince() {
        assertThat(judge(dump(100 * MIB, false)).explanation())
                .contains("10 min before the kill")
                .doesNotContain("may have grown");
        IndexRecord r = dump(100 * MIB, false);
        Verdict stale = VERDICTS.judge(LIMIT, r, r.closedAt().plusSeconds(7_200), null);
        assertThat(stale.explanation()).contains("2 h 0 min", "may have grown since");
    }

    @Test
    void theSuggestedLadderStaysUnderTheLimit() {
        assertThat(Verdicts.ladderStart(512 * MIB)).isEqualTo(256 * MIB);
        assertThat(Verdicts.ladderStart(768 * MIB)).isEqualTo(256 * MIB);
        assertThat(Verdicts.ladderStart(3 * 1024 * MIB)).isEqualTo(1024 * MIB);
        assertThat(Verdicts.ladderStart(MIB)).isEqualTo(MIB);
    }

    private static Verdict judge(IndexRecord dump) {
        return VERDICTS.judge(LIMIT, dump, Samples.KILLED_AT, null);
    }

    /** The sample dump, closed ten minutes before the sample kill, with this heap total. */
    private static IndexRecord dump(long heapBytes, boolean truncated) {
        IndexRecord r = Samples.indexRecord();
        HeapSummary s = Samples.heapSummary();
        return new IndexRecord(
                r.dumpId(),
                r.fileName(),
                r.closedAt(),
                r.format(),
                r.cause(),
                r.pid(),
                r.bucket(),
                r.key(),
                r.codec(),
                r.rawBytes(),
                r.storedBytes(),
                r.sha256(),
                r.archivedAt(),
                r.pod(),
                r.kubernetes(),
                new HeapSummary(
                        truncated,
                        truncated ? "cut-off" : null,
                        s.totalObjects(),
                        heapBytes,
                        s.classCount(),
                        s.topClasses(),
                        s.largestArrays(),
                        s.gcRoots(),
                        s.layout()),
                null);
    }
}
