package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ls} and {@code show} tell a redacted dump from one stored as fetched. */
class RedactionShownTest {

    private static final IndexRecord REDACTED =
            IndexRecord.from(Samples.dumpArchivedRedacted(true))
                    .withKubernetes(Samples.indexRecord().kubernetes());

    @TempDir Path home;
    private TestGate gate;

    @BeforeEach
    void startGate() throws IOException {
        gate = new TestGate().with(REDACTED, new byte[0]).listable("shop");
    }

    @AfterEach
    void stopGate() {
        gate.close();
    }

    private CommandRun run(String... args) {
        return CommandRun.of(
                Map.of(
                        "DUMPFLOW_URL", gate.url(),
                        "DUMPFLOW_TOKEN", TestGate.TOKEN,
                        "HOME", home.toString()),
                args);
    }

    @Test
    void lsShowsTheRedactionModeInItsOwnColumn() {
        CommandRun run = run("ls", "--namespace", "shop");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines().toList().getFirst())
                .containsSubsequence("STORED", "REDACTED", "TOP CLASS");
        assertThat(run.out().lines().toList().get(1))
                .containsSubsequence("11.8 MiB", "strings", "byte[] (38.1 MiB)");
    }

    @Test
    void showSaysTheDumpIsRedactedWithWhichModeAndThatTheOriginalIsBreakGlassOnly() {
        CommandRun run = run("show", REDACTED.dumpId());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(Samples.SHA256 + " (of the redacted dump, uncompressed)")
                .contains("redacted   strings: char[]/byte[] contents zeroed")
                .contains(
                        "original   sha256 "
                                + Samples.ORIGINAL_SHA256
                                + "; kept under raw/ until it expires, break-glass access only")
                .doesNotContain("(of the raw dump)");
    }
}
