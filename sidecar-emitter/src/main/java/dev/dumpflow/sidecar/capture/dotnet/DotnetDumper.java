package dev.dumpflow.sidecar.capture.dotnet;

import dev.dumpflow.sidecar.capture.Dumper;
import dev.dumpflow.sidecar.memory.WatchedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Dumps a .NET process through its diagnostic socket: the runtime's own {@code createdump} writes
 * the file, so the sidecar bundles no .NET tool.
 */
public final class DotnetDumper implements Dumper {

    private static final System.Logger LOG = System.getLogger(DotnetDumper.class.getName());

    private final DiagnosticSocketLocator sockets;
    private final DotnetDumpType type;
    private final Duration timeout;

    public DotnetDumper(DiagnosticSocketLocator sockets, DotnetDumpType type, Duration timeout) {
        this.sockets = sockets;
        this.type = type;
        this.timeout = timeout;
    }

    @Override
    public String extension() {
        return "dmp";
    }

    @Override
    public void dump(WatchedProcess process, Path file) throws IOException {
        Path socket =
                sockets.find(process.pid(), process.namespacePid())
                        .orElseThrow(
                                () ->
                                        new IOException(
                                                "pid "
                                                        + process.pid()
                                                        + " has no diagnostic socket"
                                                        + " dotnet-diagnostic-"
                                                        + process.namespacePid()
                                                        + "-*-socket in its TMPDIR; is"
                                                        + " DOTNET_EnableDiagnostics=0 set?"));
        int command = new DiagnosticsIpcClient(socket, timeout).writeDump(file.toString(), type);
        LOG.log(
                System.Logger.Level.DEBUG,
                "pid {0} accepted GenerateCoreDump{1} for {2}",
                Long.toString(process.pid()),
                command == 1 ? "" : command,
                file.getFileName());
    }
}
