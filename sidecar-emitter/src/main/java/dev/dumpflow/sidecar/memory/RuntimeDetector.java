package dev.dumpflow.sidecar.memory;

import dev.dumpflow.events.ProcessRuntime;
import dev.dumpflow.sidecar.capture.dotnet.DiagnosticSocketLocator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells a JVM from a .NET process from anything else, by what each leaves in {@code /proc}: the
 * executable ({@code java}, {@code dotnet}), or the files its runtime publishes (a JVM's {@code
 * hsperfdata} or {@code .java_pid} attach socket, a .NET diagnostic socket), which also catch
 * launchers such as a .NET apphost or a jlinked {@code bin/java} renamed.
 */
public final class RuntimeDetector {

    private final ProcFiles proc;
    private final DiagnosticSocketLocator dotnetSockets;

    public RuntimeDetector(ProcFiles proc) {
        this.proc = proc;
        this.dotnetSockets = new DiagnosticSocketLocator(proc);
    }

    /** The runtime of a process. */
    public ProcessRuntime detect(long pid, long namespacePid) {
        Optional<String> exe = proc.executable(pid).map(p -> fileName(p.toString()));
        Optional<String> argv0 = proc.argv0(pid).map(RuntimeDetector::fileName);
        if (named(exe, "java") || named(argv0, "java")) {
            return ProcessRuntime.JVM;
        }
        if (named(exe, "dotnet") || named(argv0, "dotnet")) {
            return ProcessRuntime.DOTNET;
        }
        if (hasJvmFiles(pid, namespacePid)) {
            return ProcessRuntime.JVM;
        }
        if (dotnetSockets.find(pid, namespacePid).isPresent()) {
            return ProcessRuntime.DOTNET;
        }
        return ProcessRuntime.OTHER;
    }

    private boolean hasJvmFiles(long pid, long namespacePid) {
        // HotSpot keeps both in /tmp whatever TMPDIR says.
        Path tmp = proc.insideRoot(pid, "/tmp");
        if (Files.exists(tmp.resolve(".java_pid" + namespacePid))) {
            return true;
        }
        try (DirectoryStream<Path> perf = Files.newDirectoryStream(tmp, "hsperfdata_*")) {
            for (Path dir : perf) {
                if (Files.exists(dir.resolve(Long.toString(namespacePid)))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }

    private static boolean named(Optional<String> name, String expected) {
        return name.map(expected::equals).orElse(false);
    }

    private static String fileName(String path) {
        String p = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
        int slash = p.lastIndexOf('/');
        return slash >= 0 ? p.substring(slash + 1) : p;
    }
}
