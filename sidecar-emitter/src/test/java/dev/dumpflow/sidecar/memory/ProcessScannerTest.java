package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.ProcessRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScannerTest {

    private static final long SELF = 77;

    @TempDir Path dir;
    private ProcTree proc;

    @BeforeEach
    void pod() throws Exception {
        proc = new ProcTree(dir);
        proc.process(1, "pause", 'S', 0, 10, "/pause", 200);
        proc.process(3, "catatonit", 'S', 0, 11, "/catatonit -P", 300);
        proc.process(2, "kthreadd", 'S', ProcTree.PF_KTHREAD, 1, "", -1);
        proc.process(SELF, "java", 'S', 0, 30, "java -jar dumpflow-sidecar.jar", 30_000);
        proc.process(40, "java", 'S', 0, 40, "/opt/java/bin/java -jar shop.jar", 500_000);
        proc.process(41, "sh", 'Z', 0, 41, "", -1);
        proc.process(42, "dotnet", 'S', 0, 42, "dotnet Cart.dll", 300_000);
        proc.process(43, "bash", 'S', 0, 43, "bash -c tail -f /dev/null", 2_000);
    }

    private ProcessScanner scanner(Optional<Pattern> match) {
        return new ProcessScanner(new ProcFiles(dir), match, SELF);
    }

    @Test
    void skipsItselfThePauseProcessKernelThreadsAndZombies() {
        assertThat(scanner(Optional.empty()).scan())
                .extracting(s -> s.process().pid())
                .containsExactlyInAnyOrder(40L, 42L, 43L);
    }

    @Test
    void tellsRuntimesAndReadsRssInBytes() {
        assertThat(scanner(Optional.empty()).scan())
                .extracting(
                        s -> s.process().pid(), s -> s.process().runtime(), ProcessSample::rssBytes)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                40L, ProcessRuntime.JVM, 500_000L * 1024),
                        org.assertj.core.groups.Tuple.tuple(
                                42L, ProcessRuntime.DOTNET, 300_000L * 1024),
                        org.assertj.core.groups.Tuple.tuple(
                                43L, ProcessRuntime.OTHER, 2_000L * 1024));
    }

    @Test
    void watchesOnlyMatchingCommandLinesWhenAMatchIsSet() {
        assertThat(scanner(Optional.of(Pattern.compile("shop\\.jar"))).scan())
                .extracting(s -> s.process().pid())
                .containsExactly(40L);
    }

    @Test
    void fallsBackToSmapsRollupWhenStatusHasNoRss() throws Exception {
        proc.process(50, "java", 'S', 0, 50, "java Other", -1);
        proc.smapsRollup(50, 4096);
        assertThat(scanner(Optional.empty()).lookup(50))
                .map(ProcessSample::rssBytes)
                .hasValue(4096L * 1024);
    }

    @Test
    void aRecycledPidWithANewStartTimeIsANewIncarnation() throws Exception {
        ProcessScanner scanner = scanner(Optional.empty());
        WatchedProcess before = find(scanner, 40);
        proc.remove(40);
        proc.process(40, "java", 'S', 0, 9_999, "/opt/java/bin/java -jar shop.jar", 100_000);
        WatchedProcess after = find(scanner, 40);
        assertThat(after.startTicks()).isEqualTo(9_999);
        assertThat(before.sameIncarnation(after.pid(), after.startTicks())).isFalse();
    }

    @Test
    void aProcessIgnoredBeforeItsExecIsWatchedOnceItRunsAMatchingProgram() throws Exception {
        ProcessScanner scanner = scanner(Optional.of(Pattern.compile("shop\\.jar")));
        // Caught between fork and exec: the child still shows its parent's command line.
        proc.process(70, "sh", 'S', 0, 70, "sh -c exec java -jar entry.sh", 1_000);
        assertThat(scanner.scan()).extracting(s -> s.process().pid()).doesNotContain(70L);
        // exec keeps the pid and the start time; the program, and its comm, change.
        proc.remove(70);
        proc.process(70, "java", 'S', 0, 70, "/opt/java/bin/java -jar shop.jar", 400_000);
        assertThat(find(scanner, 70).command()).contains("shop.jar");
    }

    @Test
    void aContainerStartingAsRuncInitIsWatchedOnceItExecsItsProgram() throws Exception {
        ProcessScanner scanner = scanner(Optional.empty());
        // runc's bootstrap, root's, in the pod's PID namespace for a moment.
        proc.process(72, "runc:[2:INIT]", 'S', 0, 72, "/usr/bin/runc init", 2_000);
        assertThat(scanner.scan()).extracting(s -> s.process().pid()).doesNotContain(72L);
        proc.remove(72);
        proc.process(72, "java", 'S', 0, 72, "/opt/java/bin/java -jar shop.jar", 400_000);
        assertThat(find(scanner, 72).runtime()).isEqualTo(ProcessRuntime.JVM);
    }

    @Test
    void aWatchedShellThatExecsAJvmIsToldAJvm() throws Exception {
        ProcessScanner scanner = scanner(Optional.empty());
        proc.process(71, "sh", 'S', 0, 71, "sh /entrypoint.sh", 1_000);
        assertThat(find(scanner, 71).runtime()).isEqualTo(ProcessRuntime.OTHER);
        for (int i = 0; i <= ProcessScanner.REDETECT_POLLS; i++) {
            scanner.scan(); // long past the polls an "other" process is looked at again
        }
        proc.remove(71);
        proc.process(71, "java", 'S', 0, 71, "/opt/java/bin/java -jar shop.jar", 400_000);
        WatchedProcess after = find(scanner, 71);
        assertThat(after.command()).contains("shop.jar");
        assertThat(after.runtime()).isEqualTo(ProcessRuntime.JVM);
    }

    @Test
    void commandLinesAreShortenedForEvents() throws Exception {
        proc.process(60, "java", 'S', 0, 60, "java " + "-Dx=y ".repeat(100), 1000);
        assertThat(find(scanner(Optional.empty()), 60).command())
                .hasSize(WatchedProcess.MAX_COMMAND);
    }

    private static WatchedProcess find(ProcessScanner scanner, long pid) {
        return scanner.scan().stream()
                .filter(s -> s.process().pid() == pid)
                .findFirst()
                .orElseThrow()
                .process();
    }

    @Test
    void aLauncherIsToldAJvmOnceItPublishesHsperfdata() throws Exception {
        proc.process(70, "launcher", 'S', 0, 70, "/app/launcher --serve", 50_000);
        ProcessScanner scanner = scanner(Optional.empty());
        assertThat(find(scanner, 70).runtime()).isEqualTo(ProcessRuntime.OTHER);
        Files.createDirectories(dir.resolve("70/root/tmp/hsperfdata_app"));
        Files.writeString(dir.resolve("70/root/tmp/hsperfdata_app/70"), "");
        assertThat(find(scanner, 70).runtime()).isEqualTo(ProcessRuntime.JVM);
    }

    @Test
    void anApphostIsToldDotnetByTheDiagnosticSocketInItsTmpdir() throws Exception {
        proc.process(71, "Cart", 'S', 0, 71, "/app/Cart", 50_000);
        Files.writeString(dir.resolve("71/environ"), "HOME=/app\0TMPDIR=/var/tmp\0");
        Files.createDirectories(dir.resolve("71/root/var/tmp"));
        Files.writeString(dir.resolve("71/root/var/tmp/dotnet-diagnostic-71-12345-socket"), "");
        assertThat(find(scanner(Optional.empty()), 71).runtime()).isEqualTo(ProcessRuntime.DOTNET);
    }
}
