package dev.dumpflow.sidecar.dumpdir;

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
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux inotify through the Foreign Function and Memory API: one inotify instance, its watches, and
 * blocking reads of its events. Not thread-safe: one thread reads; {@link #removeWatch} from
 * another thread is what wakes that reader for shutdown.
 */
final class Inotify implements AutoCloseable {

    /** File opened for writing was closed. */
    static final int IN_CLOSE_WRITE = 0x0000_0008;

    /** File created in the watched directory. */
    static final int IN_CREATE = 0x0000_0100;

    /** File deleted from the watched directory. */
    static final int IN_DELETE = 0x0000_0200;

    /** File moved out of the watched directory. */
    static final int IN_MOVED_FROM = 0x0000_0040;

    /** File moved into the watched directory. */
    static final int IN_MOVED_TO = 0x0000_0080;

    /** The kernel's event queue overflowed: events were lost. */
    static final int IN_Q_OVERFLOW = 0x0000_4000;

    /** The watch was removed. */
    static final int IN_IGNORED = 0x0000_8000;

    /** The subject of the event is a directory. */
    static final int IN_ISDIR = 0x4000_0000;

    private static final int IN_CLOEXEC = 0x80000;
    private static final int IN_ONLYDIR = 0x0100_0000;
    private static final int EINTR = 4;
    private static final int HEADER = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle INIT1 =
            downcall("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_WATCH =
            downcall(
                    "inotify_add_watch",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RM_WATCH =
            downcall("inotify_rm_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ =
            downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE =
            downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** One event: the watch it came from, what happened, and the entry's name (may be empty). */
    record Event(int watch, int mask, String name) {
        boolean is(int flag) {
            return (mask & flag) != 0;
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final MemorySegment buffer = arena.allocate(64 * 1024, 8);
    private final int fd;
    private volatile boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /** Opens a new inotify instance. */
    static Inotify open() throws IOException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(CALL_STATE);
            int fd = (int) INIT1.invokeExact(state, IN_CLOEXEC);
            if (fd < 0) {
                throw new IOException("inotify_init1 failed, errno " + (int) ERRNO.get(state, 0L));
            }
            return new Inotify(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Watches a directory for the given events; returns the watch descriptor. */
    int addWatch(Path dir, int mask) throws IOException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment path = local.allocateFrom(dir.toString(), StandardCharsets.UTF_8);
            int wd = (int) ADD_WATCH.invokeExact(callState, fd, path, mask | IN_ONLYDIR);
            if (wd < 0) {
                throw new IOException(
                        "cannot watch " + dir + ": errno " + (int) ERRNO.get(callState, 0L));
            }
            return wd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Removes a watch; the kernel then queues an {@link #IN_IGNORED} event, waking the reader. */
    void removeWatch(int wd) {
        try {
            int ignoredResult = (int) RM_WATCH.invokeExact(fd, wd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Blocks until events come, and returns them. */
    List<Event> read() throws IOException {
        long n;
        do {
            try {
                n = (long) READ.invokeExact(callState, fd, buffer, buffer.byteSize());
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        } while (n < 0 && (int) ERRNO.get(callState, 0L) == EINTR && !closed);
        if (n < 0) {
            throw new IOException("inotify read failed, errno " + (int) ERRNO.get(callState, 0L));
        }
        List<Event> events = new ArrayList<>();
        long offset = 0;
        while (offset + HEADER <= n) {
            int wd = buffer.get(JAVA_INT, offset);
            int mask = buffer.get(JAVA_INT, offset + 4);
            int len = buffer.get(JAVA_INT, offset + 12);
            String name = len == 0 ? "" : buffer.getString(offset + HEADER, StandardCharsets.UTF_8);
            events.add(new Event(wd, mask, name));
            offset += HEADER + len;
        }
        return events;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignoredResult = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                LIBC.find(name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in libc"));
        return name.equals("inotify_rm_watch") || name.equals("close")
                ? LINKER.downcallHandle(symbol, descriptor)
                : LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }
}
