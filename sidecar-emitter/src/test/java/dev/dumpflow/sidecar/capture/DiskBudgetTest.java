package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBudgetTest {

    private static final long MIB = 1 << 20;

    @TempDir Path dumps;

    @Test
    void refusesWhenTheProcessIsLargerThanTheFreeSpace() throws Exception {
        long free = Files.getFileStore(dumps).getUsableSpace();
        assertThat(new DiskBudget(dumps, OptionalLong.empty()).check(free + (1L << 30)))
                .hasValueSatisfying(
                        r ->
                                assertThat(r)
                                        .startsWith("disk budget: ")
                                        .contains(dumps.toString())
                                        .contains("less than the process's RSS"));
    }

    @Test
    void allowsWhenTheDumpFits() {
        assertThat(new DiskBudget(dumps, OptionalLong.empty()).check(MIB)).isEmpty();
    }

    @Test
    void countsWhatTheVolumeHoldsAgainstItsSizeLimit() throws Exception {
        // A 10 MiB emptyDir already holding a 6 MiB dump (and a partial one) has 3 MiB left.
        Files.write(dumps.resolve("java_pid1.hprof"), new byte[(int) (6 * MIB)]);
        Path partial = Files.createDirectories(dumps.resolve(".dumpflow/partial"));
        Files.write(partial.resolve("x.hprof"), new byte[(int) MIB]);
        DiskBudget budget = new DiskBudget(dumps, OptionalLong.of(10 * MIB));

        assertThat(budget.check(2 * MIB)).isEmpty();
        assertThat(budget.check(4 * MIB))
                .hasValueSatisfying(
                        r -> assertThat(r).contains("3.0 MiB free of its 10.0 MiB limit"));
    }

    @Test
    void refusesWhenTheDirectoryIsMissing() {
        assertThat(new DiskBudget(dumps.resolve("gone"), OptionalLong.empty()).check(1))
                .hasValueSatisfying(r -> assertThat(r).contains("cannot tell the free space"));
    }
}
