package dev.dumpflow.analysis.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.analysis.ProfiledJvmDumps;
import dev.dumpflow.events.HeapSummary;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {

    private static ProfiledJvmDumps.Snapshot snapshot;
    private static HeapSummary expected;

    @TempDir Path dir;

    @BeforeAll
    static void dumpTheProfiledJvm() throws Exception {
        snapshot = ProfiledJvmDumps.defaultJvm();
        expected = ProfiledJvmDumps.analyze(snapshot.plain(), AnalysisSettings.defaults());
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status =
                AnalyzeCommand.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path zstd(Path source, String name) throws Exception {
        Path target = dir.resolve(name);
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(target), 1)) {
            Files.copy(source, out);
        }
        return target;
    }

    @Test
    void printsTheSummaryTheArchiveWouldIndexAsJson() throws Exception {
        Run run = run("--json", snapshot.plain().toString());
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).endsWith("\n").doesNotContain("\n  ");
        assertThat(new ObjectMapper().readValue(run.out(), HeapSummary.class)).isEqualTo(expected);
        assertThat(run.out()).doesNotContain("truncationReason");
    }

    @Test
    void readsGzippedAndStoredZstdDumpsWhateverTheirNames() throws Exception {
        Path storedPlain = zstd(snapshot.plain(), "d1.hprof.zst");
        Path storedGzip = zstd(snapshot.gzipped(), "d2.hprof-gz.zst");
        Path misnamed = Files.copy(snapshot.gzipped(), dir.resolve("heap.bin"));
        for (Path file : new Path[] {snapshot.gzipped(), storedPlain, storedGzip, misnamed}) {
            Run run = run("--json", file.toString());
            assertThat(run.status()).as(file + ": " + run.err()).isZero();
            assertThat(new ObjectMapper().readValue(run.out(), HeapSummary.class))
                    .as(file.toString())
                    .isEqualTo(expected);
        }
    }

    @Test
    void printsAHumanSummaryByDefault() {
        Run run = run(snapshot.plain().toString());
        assertThat(run.status()).isZero();
        assertThat(run.out())
                .startsWith("Heap: ")
                .contains("Top 20 classes by shallow size", "Largest arrays", "GC roots");
    }

    @Test
    void refusesAMissingFileInOneLine() {
        Run run = run(dir.resolve("gone.hprof").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .containsExactly(
                        "dumpflow analyze: " + dir.resolve("gone.hprof") + ": no such file");
    }

    @Test
    void refusesAFileThatIsNoHeapDump() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.hprof"), "not a dump\n");
        Run run = run(text.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().contains("is not a heap dump");
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.hprof"));
        Run run = run(empty.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("dumpflow analyze: " + empty + " is empty");
    }

    @Test
    void refusesATruncatedDumpInOneLineWithoutAStackTrace() throws Exception {
        byte[] whole = Files.readAllBytes(snapshot.plain());
        Path cut = Files.write(dir.resolve("cut.hprof"), java.util.Arrays.copyOf(whole, 100_000));
        Run run = run("--json", cut.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("dumpflow analyze: " + cut + ": cut off or corrupt: the dump ends at");
    }

    @Test
    void refusesACutOffZstdFileAndShowsTheStackTraceOnlyWhenAsked() throws Exception {
        byte[] stored = Files.readAllBytes(zstd(snapshot.plain(), "whole.hprof.zst"));
        Path cut =
                Files.write(
                        dir.resolve("cut.hprof.zst"),
                        java.util.Arrays.copyOf(stored, stored.length / 2));
        Run quiet = run(cut.toString());
        assertThat(quiet.status()).isEqualTo(1);
        assertThat(quiet.err().lines()).singleElement().asString().contains(cut + ": ");
        Run loud = run("--stack-trace", cut.toString());
        assertThat(loud.status()).isEqualTo(1);
        assertThat(loud.err().lines()).hasSizeGreaterThan(2).anyMatch(l -> l.contains("\tat "));
    }

    @Test
    void answersWrongUsageWithStatusTwoAndTheUsage() {
        for (String[] args :
                new String[][] {{}, {"--frobnicate", "x"}, {"a", "b"}, {"--top", "none", "a"}}) {
            Run run = run(args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).contains("usage: dumpflow analyze");
        }
    }

    @Test
    void listsAsManyClassesAsAsked() throws Exception {
        Run run = run("--json", "--top", "3", snapshot.plain().toString());
        assertThat(new ObjectMapper().readValue(run.out(), HeapSummary.class).topClasses())
                .hasSize(3);
    }

    @Test
    void aDumpPastAMemoryCapPrintsItsPartialSummaryAndExitsZero() throws Exception {
        Run run = run("--memory-budget", "2m", snapshot.plain().toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Partial figures: ").contains(" cap reached: ");
        assertThat(run.err()).contains("partial figures").contains("--memory-budget");
    }

    @Test
    void takesAMemoryBudgetWithBinaryUnitsAndRefusesOneOutOfRange() throws Exception {
        Run whole = run("--json", "--memory-budget", "64M", snapshot.plain().toString());
        assertThat(whole.status()).as(whole.err()).isZero();
        assertThat(new ObjectMapper().readValue(whole.out(), HeapSummary.class))
                .isEqualTo(expected);
        Run small = run("--memory-budget", "512k", snapshot.plain().toString());
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err()).contains("--memory-budget is 524288 bytes; it must be from");
        Run garbled = run("--memory-budget", "lots", snapshot.plain().toString());
        assertThat(garbled.status()).isEqualTo(2);
        assertThat(garbled.err()).contains("--memory-budget takes a size such as 64m");
    }
}
