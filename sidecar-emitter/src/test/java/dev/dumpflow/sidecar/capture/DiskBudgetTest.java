package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBudgetTest {

    @TempDir Path dumps;

    @Test
    void refusesWhenTheProcessIsLargerThanTheFreeSpace() throws Exception {
        long free = Files.getFileStore(dumps).getUsableSpace();
        assertThat(DiskBudget.check(dumps, free + (1L << 30)))
                .hasValueSatisfying(
                        r ->
                                assertThat(r)
                                        .startsWith("disk budget: ")
                                        .contains(dumps.toString())
                                        .contains("less than the process's RSS"));
    }

    @Test
    void allowsWhenTheDumpFits() {
        assertThat(DiskBudget.check(dumps, 1 << 20)).isEmpty();
    }

    @Test
    void refusesWhenTheDirectoryIsMissing() {
        assertThat(DiskBudget.check(dumps.resolve("gone"), 1))
                .hasValueSatisfying(r -> assertThat(r).contains("cannot tell the free space"));
    }
}
