package dev.dumpflow.sidecar.serve;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * A dump file held open by a descriptor of the sidecar's own, from the moment it is found until it
 * is deleted or its token expires.
 *
 * <p>Why a descriptor: a dump inside an application container is reached through {@code
 * /proc/<pid>/root}, and that path dies with the process; when the writer was the last process of
 * its mount namespace, no path anywhere leads to the file any more. The descriptor still does. It
 * is opened through FFM ({@link NativeFiles}: inside a process's root with every link resolved in
 * that root) because the JDK does not give a channel's descriptor number, and the number is what
 * makes {@code /proc/self/fd/<n>} a path: each transfer opens its own channel there (its own
 * offset, closed on its own), and {@code stat} there tells size, identity and link count of the
 * file itself, even unlinked, even with its mount namespace gone.
 *
 * <p>Opened only through {@link HeldFiles}, which caps how many are held at once.
 */
public final class HeldFile implements AutoCloseable {

    private final Path path;
    private final int fd;
    private final Object identity;
    private final Runnable onClose;
    private volatile boolean closed;

    private HeldFile(Path path, int fd, Object identity, Runnable onClose) {
        this.path = path;
        this.fd = fd;
        this.identity = identity;
        this.onClose = onClose;
    }

    /**
     * Opens a regular file for reading. A symbolic link is never followed: the path's own entry is
     * read first without following, and the descriptor must name the same file, so a link swapped
     * in between is refused too. Inside a process's root the directories on the way are resolved in
     * that root ({@link NativeFiles}); where a link on the way led the path walk out of it, the two
     * differ and the file is refused.
     *
     * @throws java.nio.file.NoSuchFileException when the file, or the root it was reached through,
     *     is gone
     * @param onClose runs once when the file is closed: {@link HeldFiles}, the only caller, gives
     *     its place back
     * @throws IOException when it is no regular file or cannot be opened
     */
    static HeldFile open(Path path, Runnable onClose) throws IOException {
        BasicFileAttributes entry =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!entry.isRegularFile()) {
            throw new IOException(path + " is not a regular file");
        }
        int fd = NativeFiles.openForReading(path);
        // Not counted yet: the caller gives the place back itself if this fails.
        HeldFile held = new HeldFile(path, fd, null, () -> {});
        try {
            BasicFileAttributes opened =
                    Files.readAttributes(held.viaDescriptor(), BasicFileAttributes.class);
            if (!opened.isRegularFile() || !Objects.equals(opened.fileKey(), entry.fileKey())) {
                throw new IOException(path + " changed while it was opened");
            }
            return new HeldFile(path, fd, opened.fileKey(), onClose);
        } catch (IOException | RuntimeException failed) {
            held.close();
            throw failed;
        }
    }

    /** The path the file was found at; it may no longer lead to it. */
    public Path path() {
        return path;
    }

    /**
     * The file's identity (device and inode), as {@link BasicFileAttributes#fileKey()} gives it.
     */
    public Object identity() {
        return identity;
    }

    /** {@code /proc/self/fd/<n>}: a path to the file itself for as long as it is held. */
    public Path viaDescriptor() {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    /** A new channel on the file, with its own position; the caller closes it. */
    public synchronized FileChannel newChannel() throws IOException {
        ensureOpen();
        return FileChannel.open(viaDescriptor(), StandardOpenOption.READ);
    }

    /** The file's attributes, read through the descriptor. */
    public synchronized BasicFileAttributes attributes() throws IOException {
        ensureOpen();
        return Files.readAttributes(viaDescriptor(), BasicFileAttributes.class);
    }

    /** Whether the file has no name left anywhere (deleted, or replaced by another file). */
    public synchronized boolean unlinked() throws IOException {
        ensureOpen();
        Map<String, Object> unix = Files.readAttributes(viaDescriptor(), "unix:nlink");
        return ((Number) unix.get("nlink")).intValue() == 0;
    }

    /** Whether its path still leads to this very file. */
    public boolean pathLeadsHere() {
        try {
            BasicFileAttributes entry =
                    Files.readAttributes(
                            path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return entry.isRegularFile() && Objects.equals(entry.fileKey(), identity);
        } catch (IOException gone) {
            return false;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("no longer held: " + path);
        }
    }

    /** Lets go of the file; when nothing else names or holds it, its storage is freed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            NativeFiles.close(fd);
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "HeldFile[" + path + ", fd " + fd + "]";
    }
}
