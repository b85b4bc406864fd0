package dev.dumpflow.sidecar.serve;

import static java.lang.System.Logger.Level.WARNING;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens dump files for reading by descriptor number, through FFM (the JDK gives a channel, not its
 * number). A file inside another process's root ({@code /proc/<pid>/root/...}) is opened with
 * {@code openat2(2)} and {@code RESOLVE_IN_ROOT} anchored at that root: the kernel resolves every
 * symbolic link on the way, an absolute one or {@code ..} included, inside the process's own file
 * system, as the process sees it. A plain path walk through {@code /proc/<pid>/root} resolves an
 * absolute link from the sidecar's root instead, so an application could point a directory of its
 * dump path at a file of the sidecar's and have it served as its dump.
 */
final class NativeFiles {

    private static final System.Logger LOG = System.getLogger(NativeFiles.class.getName());

    private static final int O_RDONLY = 0;
    // Same value on x86-64 and aarch64; a FIFO planted in a dump directory must not block open().
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int READ = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
    // openat2(2): the same number on every architecture since Linux 5.6.
    private static final long SYS_OPENAT2 = 437;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_IN_ROOT = 0x10;
    private static final int ENOENT = 2;
    private static final int ENOSYS = 38;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("open").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                    Linker.Option.captureCallState("errno"));
    // long syscall(long number, ...): openat2(dirfd, path, struct open_how *, size)
    private static final MethodHandle SYSCALL =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(
                            JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1),
                    Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // struct open_how { u64 flags; u64 mode; u64 resolve; }
    private static final long OPEN_HOW_SIZE = 24;

    private static final AtomicBoolean TOLD_NO_OPENAT2 = new AtomicBoolean();

    private NativeFiles() {}

    /**
     * A descriptor for reading the file; inside another process's root, resolved in that root.
     *
     * @throws NoSuchFileException when the file, or a directory on its way, is not there
     * @throws IOException when it cannot be opened
     */
    static int openForReading(Path path) throws IOException {
        OptionalLong pid = ProcessRootPath.pidOf(path);
        if (pid.isEmpty()) {
            return open(path, READ);
        }
        Path root = ProcessRootPath.rootOf(pid.getAsLong());
        return openInRoot(root, root.relativize(path));
    }

    /**
     * A descriptor for reading {@code relative}, every link on its way resolved as if {@code root}
     * were the file system's root.
     */
    static int openInRoot(Path root, Path relative) throws IOException {
        int rootFd = open(root, O_PATH | O_CLOEXEC);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment how = local.allocate(OPEN_HOW_SIZE);
            how.set(JAVA_LONG, 0, READ);
            how.set(JAVA_LONG, 8, 0);
            how.set(JAVA_LONG, 16, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
            MemorySegment state = local.allocate(CALL_STATE);
            MemorySegment name = local.allocateFrom(relative.toString(), StandardCharsets.UTF_8);
            long fd =
                    (long)
                            SYSCALL.invokeExact(
                                    state, SYS_OPENAT2, (long) rootFd, name, how, OPEN_HOW_SIZE);
            int errno = (int) ERRNO.get(state, 0L);
            if (fd >= 0) {
                return (int) fd;
            }
            if (errno == ENOSYS) {
                if (TOLD_NO_OPENAT2.compareAndSet(false, true)) {
                    LOG.log(
                            WARNING,
                            "this kernel has no openat2 (Linux 5.6 or later): files in"
                                    + " applications' roots are opened by path, and an absolute"
                                    + " symbolic link on the way resolves in the sidecar's root");
                }
                return open(root.resolve(relative), READ);
            }
            throw failure(root.resolve(relative), errno);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            close(rootFd);
        }
    }

    /** Closes the descriptor. */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int open(Path path, int flags) throws IOException {
        int fd;
        int errno;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(CALL_STATE);
            MemorySegment name = local.allocateFrom(path.toString(), StandardCharsets.UTF_8);
            fd = (int) OPEN.invokeExact(state, name, flags);
            errno = (int) ERRNO.get(state, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (fd < 0) {
            throw failure(path, errno);
        }
        return fd;
    }

    private static IOException failure(Path path, int errno) {
        return errno == ENOENT
                ? new NoSuchFileException(path.toString())
                : new IOException("cannot open " + path + ": errno " + errno);
    }
}
