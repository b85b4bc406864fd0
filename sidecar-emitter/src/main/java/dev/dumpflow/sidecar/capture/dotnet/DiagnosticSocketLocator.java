package dev.dumpflow.sidecar.capture.dotnet;

import dev.dumpflow.sidecar.memory.ProcFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a .NET process's diagnostic socket where the runtime puts it: in the process's own {@code
 * $TMPDIR} (or {@code /tmp}), named {@code dotnet-diagnostic-<pid>-<key>-socket} with the pid of
 * its own namespace. The sidecar reaches that directory through {@code /proc/<pid>/root}, so the
 * app container needs no shared {@code /tmp}.
 */
public final class DiagnosticSocketLocator {

    private final ProcFiles proc;

    public DiagnosticSocketLocator(ProcFiles proc) {
        this.proc = proc;
    }

    /** The socket, if the process has one. */
    public Optional<Path> find(long pid, long namespacePid) {
        String tmp = proc.environment(pid).getOrDefault("TMPDIR", "");
        if (tmp.isBlank()) {
            tmp = "/tmp";
        }
        Path dir = proc.insideRoot(pid, tmp);
        String glob = "dotnet-diagnostic-" + namespacePid + "-*-socket";
        try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir, glob)) {
            Path newest = null;
            for (Path socket : sockets) {
                // A restarted runtime with a recycled pid leaves a stale socket: the newest wins.
                if (newest == null || modified(socket) > modified(newest)) {
                    newest = socket;
                }
            }
            return Optional.ofNullable(newest);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
