package dev.dumpflow.sidecar.capture.dotnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.CaptureConfig;
import dev.dumpflow.sidecar.capture.CaptureDecision;
import dev.dumpflow.sidecar.capture.CaptureService;
import dev.dumpflow.sidecar.dumpdir.DumpNaming;
import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.ProcessSample;
import dev.dumpflow.sidecar.memory.ProcessScanner;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .NET capture from discovery to the dump directory: a real process whose TMPDIR holds a
 * diagnostic socket (served by the documented protocol), found through {@code /proc/<pid>/root}.
 */
class DotnetCaptureTest {

    @TempDir Path targetTmp;
    @TempDir Path dumps;

    private Process target;

    @BeforeEach
    void startTarget() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "60");
        pb.environment().put("TMPDIR", targetTmp.toString());
        target = pb.start();
    }

    @AfterEach
    void stopTarget() throws Exception {
        target.destroyForcibly().waitFor();
    }

    private Path socketOf(long pid) {
        return targetTmp.resolve("dotnet-diagnostic-" + pid + "-1234567-socket");
    }

    @Test
    void findsTheSocketInTheTargetsOwnTmpdirThroughProcRoot() throws Exception {
        long pid = target.pid();
        try (var server =
                new DocumentedDiagnosticServer(
                        socketOf(pid), r -> DocumentedDiagnosticServer.ok())) {
            Optional<Path> found = new DiagnosticSocketLocator(ProcFiles.system()).find(pid, pid);
            assertThat(found).isPresent();
            assertThat(found.get().toString())
                    .startsWith("/proc/" + pid + "/root/")
                    .endsWith("dotnet-diagnostic-" + pid + "-1234567-socket");
        }
    }

    @Test
    void aProcessWithoutASocketIsNotDotnet() throws Exception {
        ProcessScanner scanner =
                new ProcessScanner(
                        ProcFiles.system(), Optional.empty(), ProcessHandle.current().pid());
        assertThat(scanner.lookup(target.pid()))
                .map(s -> s.process().runtime())
                .hasValue(ProcessRuntime.OTHER);
    }

    @Test
    void thresholdCaptureAsksTheRuntimeForAWithHeapDumpAndMovesItIntoTheDumpDirectory()
            throws Exception {
        long pid = target.pid();
        try (var server =
                        new DocumentedDiagnosticServer(
                                socketOf(pid),
                                r -> {
                                    // As the runtime does: write the dump where asked, then answer.
                                    try {
                                        Files.writeString(Path.of(r.dumpName()), "core");
                                    } catch (Exception e) {
                                        return DocumentedDiagnosticServer.error(
                                                DocumentedDiagnosticServer.E_FAIL);
                                    }
                                    return DocumentedDiagnosticServer.ok();
                                });
                CaptureService captures =
                        CaptureService.create(
                                CaptureConfig.fromEnv(
                                        Map.of(
                                                "DUMPFLOW_CAPTURE",
                                                "dotnet",
                                                "DUMPFLOW_DUMP_DIRS",
                                                dumps.toString())),
                                ProcFiles.system(),
                                new SidecarMetrics())) {
            ProcessScanner scanner =
                    new ProcessScanner(
                            ProcFiles.system(), Optional.empty(), ProcessHandle.current().pid());
            ProcessSample sample = scanner.lookup(pid).orElseThrow();
            assertThat(sample.process().runtime()).isEqualTo(ProcessRuntime.DOTNET);

            CaptureDecision decision = captures.onThreshold(sample);

            assertThat(decision).isInstanceOf(CaptureDecision.Started.class);
            String name = ((CaptureDecision.Started) decision).fileName();
            assertThat(name).endsWith(".dmp");
            assertThat(DumpNaming.causeOf(name)).isEqualTo(DumpCause.THRESHOLD);
            assertThat(DumpNaming.pidOf(name)).hasValue(pid);
            Path dump = dumps.resolve(name);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.exists(dump) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dump).exists();
            assertThat(Files.readString(dump, StandardCharsets.UTF_8)).isEqualTo("core");
            var request = server.requests().getFirst();
            assertThat(request.commandId()).isEqualTo(3);
            // The runtime wrote into the partial directory, invisible to the dump-dir watcher.
            assertThat(request.dumpName())
                    .isEqualTo(dumps.resolve(".dumpflow/partial").resolve(name).toString());
            assertThat(request.bytes()[request.bytes().length - 8]).isEqualTo((byte) 2);
        }
    }
}
