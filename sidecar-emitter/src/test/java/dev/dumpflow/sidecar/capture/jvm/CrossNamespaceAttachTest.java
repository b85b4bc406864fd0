package dev.dumpflow.sidecar.capture.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.memory.LeakyApp;
import dev.dumpflow.sidecar.memory.ProcFiles;
import dev.dumpflow.sidecar.memory.ProcessSample;
import dev.dumpflow.sidecar.memory.ProcessScanner;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attach across containers, staged as a pod stages it: the target JVM runs in its own PID namespace
 * with a private {@code /tmp}, so its attach socket is reachable only through {@code
 * /proc/<pid>/root/tmp} and it knows itself by another pid. Needs {@code unshare} and root, which a
 * container build may lack; it is skipped there, and says so.
 */
class CrossNamespaceAttachTest {

    @Test
    void dumpsAJvmInAnotherPidNamespaceWithAPrivateTmp() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and unshare to stage separate namespaces");
        // The target gets a private tmpfs on /tmp, which would hide a checkout under /tmp (such as
        // a
        // CI clone) and so the classes the target runs.
        assumeTrue(
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .noneMatch(entry -> Path.of(entry).toAbsolutePath().startsWith("/tmp")),
                "the class path lies under /tmp, which the target's private /tmp would hide");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String marker = "nsjvm-" + UUID.randomUUID();
        // Outside /tmp, which the target's private tmpfs hides: the "shared emptyDir".
        Path shared = Files.createDirectories(Path.of("target", marker).toAbsolutePath());
        Process unshare =
                new ProcessBuilder(
                                "unshare",
                                "--pid",
                                "--fork",
                                "--mount",
                                "--mount-proc",
                                "sh",
                                "-c",
                                "mount -t tmpfs tmpfs /tmp && exec \"$0\" -Ddumpflow.marker="
                                        + marker
                                        + " -cp \"$1\" "
                                        + LeakyApp.class.getName(),
                                java,
                                System.getProperty("java.class.path"))
                        .redirectErrorStream(true)
                        .start();
        try {
            assertThat(new String(unshare.getInputStream().readNBytes(6), StandardCharsets.UTF_8))
                    .isEqualTo("ready\n");
            ProcessHandle target =
                    unshare.descendants()
                            .filter(h -> h.info().commandLine().orElse("").contains(marker))
                            .findFirst()
                            .orElseThrow();
            ProcessSample sample =
                    new ProcessScanner(
                                    ProcFiles.system(),
                                    Optional.empty(),
                                    ProcessHandle.current().pid())
                            .lookup(target.pid())
                            .orElseThrow();
            assertThat(sample.process().namespacePid()).isNotEqualTo(target.pid());
            assertThat(sample.process().runtime()).isEqualTo(ProcessRuntime.JVM);

            Path dump = shared.resolve("ns.hprof");
            new JvmHeapDumper(Duration.ofMinutes(1)).dump(sample.process(), dump);

            try (InputStream in = Files.newInputStream(dump)) {
                assertThat(new String(in.readNBytes(18), StandardCharsets.US_ASCII))
                        .isEqualTo("JAVA PROFILE 1.0.2");
            }
            // The attach socket went to the target's own /tmp, not to ours.
            assertThat(Path.of("/tmp/.java_pid" + sample.process().namespacePid())).doesNotExist();
        } finally {
            unshare.descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly().waitFor();
            try (var files = Files.list(shared)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(shared);
        }
    }
}
