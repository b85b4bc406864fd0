package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.sidecar.memory.ProcFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code cwd} and {@code auto} become directories, on a /proc laid out as Linux does. */
class ProcessDirResolverTest {

    static final long PID = 4242;
    static final List<ProcessDumpDir> AUTO = List.of(new ProcessDumpDir.HeapDumpPath());

    @TempDir Path proc;

    ProcessDirResolver resolver;

    @BeforeEach
    void aProcessWorkingInApp() throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(PID)));
        Files.createSymbolicLink(dir.resolve("cwd"), Path.of("/app"));
        // Its own file system: /app/dumps and /var/dumps are directories there.
        Files.createDirectories(dir.resolve("root/app/dumps"));
        Files.createDirectories(dir.resolve("root/var/dumps"));
        resolver = new ProcessDirResolver(new ProcFiles(proc));
        process(List.of("java", "-jar", "app.jar"), "");
    }

    void process(List<String> arguments, String environ) throws IOException {
        Path dir = proc.resolve(Long.toString(PID));
        Files.writeString(
                dir.resolve("cmdline"),
                String.join("\0", arguments) + "\0",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("environ"), environ, StandardCharsets.UTF_8);
    }

    @Test
    void cwdIsTheWorkingDirectoryAsTheProcessSeesIt() {
        assertThat(resolver.resolve(PID, List.of(new ProcessDumpDir.WorkingDirectory())))
                .containsExactly(Path.of("/app"));
    }

    @Test
    void autoWithoutHeapDumpPathIsTheWorkingDirectory() {
        assertThat(resolver.resolve(PID, AUTO)).containsExactly(Path.of("/app"));
    }

    @Test
    void autoReadsJavaToolOptionsAndTheCommandLineWins() throws IOException {
        process(
                List.of("java", "-jar", "app.jar"),
                "JAVA_TOOL_OPTIONS=-Xmx1g -XX:HeapDumpPath=/var/dumps\0");
        assertThat(resolver.resolve(PID, AUTO)).containsExactly(Path.of("/var/dumps"));

        process(
                List.of("java", "-XX:HeapDumpPath=/srv/heap.hprof", "-jar", "app.jar"),
                "JAVA_TOOL_OPTIONS=-XX:HeapDumpPath=/var/dumps\0");
        // A path that is no directory in the process names the file: its directory is watched.
        assertThat(resolver.resolve(PID, AUTO)).containsExactly(Path.of("/srv"));
    }

    @Test
    void autoResolvesARelativeHeapDumpPathAgainstTheWorkingDirectory() throws IOException {
        process(List.of("java", "-XX:HeapDumpPath=dumps", "Main"), "");
        assertThat(resolver.resolve(PID, AUTO)).containsExactly(Path.of("/app/dumps"));
    }

    @Test
    void underscoreJavaOptionsOverrideTheCommandLineAsHotSpotDoes() throws IOException {
        process(
                List.of("java", "-XX:HeapDumpPath=/var/dumps", "Main"),
                "_JAVA_OPTIONS=-XX:HeapDumpPath=/app/dumps\0");
        assertThat(resolver.resolve(PID, AUTO)).containsExactly(Path.of("/app/dumps"));
    }
}
