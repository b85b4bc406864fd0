package dev.dumpflow.sidecar.capture.jvm;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.dumpflow.sidecar.capture.Dumper;
import dev.dumpflow.sidecar.memory.WatchedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Dumps a JVM's heap through the JDK Attach API, the mechanism {@code jcmd} uses: the target JVM
 * writes the HPROF itself, so the sidecar bundles no JDK tool.
 *
 * <p>The JDK finds a target in another container of the pod through {@code /proc/<pid>/root/tmp}
 * and its namespace pid; it needs the same UID. The command goes through {@code
 * HotSpotVirtualMachine.executeJCmd}, which {@code jdk.attach} does not export: the sidecar's jar
 * manifest carries {@code Add-Exports: jdk.attach/sun.tools.attach}, and anything else that runs
 * this class needs {@code --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED}.
 */
public final class JvmHeapDumper implements Dumper {

    private static final String HOTSPOT_VM = "sun.tools.attach.HotSpotVirtualMachine";

    private final Duration timeout;

    public JvmHeapDumper(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String extension() {
        return "hprof";
    }

    @Override
    public void dump(WatchedProcess process, Path file) throws IOException {
        if (file.toString().contains(" ")) {
            throw new IOException("jcmd arguments cannot hold spaces: " + file);
        }
        String output = jcmd(process.pid(), "GC.heap_dump " + file);
        if (!output.contains("Heap dump file created")) {
            throw new IOException(
                    "GC.heap_dump failed in pid " + process.pid() + ": " + output.strip());
        }
    }

    /** Runs one diagnostic command in the target and returns its output, once it has finished. */
    String jcmd(long pid, String command) throws IOException {
        Method executeJCmd = executeJCmd();
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException(
                    "cannot attach to pid "
                            + pid
                            + " (same UID and a HotSpot JVM needed): "
                            + e.getMessage(),
                    e);
        }
        try (InputStream out = invoke(executeJCmd, vm, command)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete(
                            (ok, failure) -> {
                                if (failure instanceof TimeoutException) {
                                    closeQuietly(out);
                                }
                            });
            try {
                // The stream ends when the command has finished, heap dump written.
                return new String(out.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                if (done.isCompletedExceptionally()) {
                    throw new IOException(
                            "pid " + pid + " did not finish " + command + " within " + timeout, e);
                }
                throw e;
            } finally {
                done.complete(null);
            }
        } finally {
            vm.detach();
        }
    }

    private static Method executeJCmd() throws IOException {
        try {
            Method m = Class.forName(HOTSPOT_VM).getMethod("executeJCmd", String.class);
            if (!m.getDeclaringClass()
                    .getModule()
                    .isExported("sun.tools.attach", JvmHeapDumper.class.getModule())) {
                throw new IOException(
                        "jdk.attach does not export sun.tools.attach to the sidecar: run it with"
                                + " java -jar (the manifest adds the export) or with --add-exports"
                                + " jdk.attach/sun.tools.attach=ALL-UNNAMED");
            }
            return m;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IOException(
                    "this Java runtime has no HotSpot attach (module jdk.attach missing?)", e);
        }
    }

    private static InputStream invoke(Method executeJCmd, VirtualMachine vm, String command)
            throws IOException {
        try {
            return (InputStream) executeJCmd.invoke(vm, command);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("jcmd " + command + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IOException("cannot call executeJCmd: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the timeout is what gets reported
        }
    }
}
