package dev.dumpflow.sidecar.serve;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Paths of the form {@code /proc/<pid>/root/...}: a file inside another process's own file system,
 * reached through its root. Such a path lives only as long as the process does.
 */
public final class ProcessRootPath {

    private static final Path PROC = Path.of("/proc");

    private ProcessRootPath() {}

    /** {@code /proc/<pid>/root}. */
    public static Path rootOf(long pid) {
        return PROC.resolve(Long.toString(pid)).resolve("root");
    }

    /**
     * {@code /proc/<pid>/root/<absolutePath>}: the path as the process sees it, reached from here.
     */
    public static Path inside(long pid, Path absolutePath) {
        return rootOf(pid).resolve(absolutePath.toString().replaceFirst("^/+", ""));
    }

    /** The pid whose root the path goes through, if it goes through one. */
    public static OptionalLong pidOf(Path path) {
        if (path.getNameCount() < 3
                || !path.startsWith(PROC)
                || !path.getName(2).toString().equals("root")) {
            return OptionalLong.empty();
        }
        String pid = path.getName(1).toString();
        if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(pid));
    }

    /**
     * The same file reached through the root of another process that lives, when the path went
     * through the root of one that is gone: a JVM restarted inside its container by a supervisor
     * leaves its dump reachable through the new process, or through the supervisor itself.
     *
     * @param identity the file's identity ({@code fileKey}), which the path found must have
     */
    public static Optional<Path> throughAnotherRoot(Path path, Object identity) {
        OptionalLong pid = pidOf(path);
        if (pid.isEmpty() || identity == null) {
            return Optional.empty();
        }
        Path inRoot = rootOf(pid.getAsLong()).relativize(path);
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : pids) {
                Path candidate = dir.resolve("root").resolve(inRoot);
                try {
                    BasicFileAttributes found =
                            Files.readAttributes(
                                    candidate,
                                    BasicFileAttributes.class,
                                    LinkOption.NOFOLLOW_LINKS);
                    if (found.isRegularFile() && identity.equals(found.fileKey())) {
                        return Optional.of(candidate);
                    }
                } catch (IOException notThere) {
                    // another container, or not allowed in
                }
            }
        } catch (IOException noProc) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether the path goes through a process root that is gone (the process exited): then no path
     * leads to the file any more, and only a held descriptor reaches it.
     */
    public static boolean rootVanished(Path path) {
        OptionalLong pid = pidOf(path);
        if (pid.isEmpty()) {
            return false;
        }
        try {
            Files.readAttributes(rootOf(pid.getAsLong()), BasicFileAttributes.class);
            return false;
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException refusedOrOther) {
            // Not allowed in is not gone: the process lives, the file may still be reached.
            return false;
        }
    }
}
