package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dumpflow.sidecar.serve.ProcessRootPath;
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
    void insideAProcessItReadsTheFreeSpaceOfThatProcesssFileSystemThroughItsRoot()
            throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare for a mount namespace of its own");
        // An 8 MiB tmpfs that only the process's mount namespace has, over a directory of ours.
        Process app =
                new ProcessBuilder(
                                "unshare",
                                "--mount",
                                "--propagation",
                                "private",
                                "sh",
                                "-c",
                                "mount -t tmpfs -o size=8m tmpfs \"$0\" && echo ready && exec sleep 600",
                                dumps.toString())
                        .start();
        try {
            assertThat(new String(app.getInputStream().readNBytes(6))).isEqualTo("ready\n");
            Path inside = ProcessRootPath.inside(app.pid(), dumps);

            assertThat(DiskBudget.checkInside(inside, MIB)).isEmpty();
            assertThat(DiskBudget.checkInside(inside, 16 * MIB))
                    .hasValueSatisfying(r -> assertThat(r).contains("less than the process's RSS"));
            // Here, the same path is the test's own disk, with room for it.
            assertThat(new DiskBudget(dumps, OptionalLong.empty()).check(16 * MIB)).isEmpty();
        } finally {
            app.destroyForcibly().waitFor();
        }
    }

    @Test
    void refusesWhenTheDirectoryIsMissing() {
        assertThat(new DiskBudget(dumps.resolve("gone"), OptionalLong.empty()).check(1))
                .hasValueSatisfying(r -> assertThat(r).contains("cannot tell the free space"));
    }
}
