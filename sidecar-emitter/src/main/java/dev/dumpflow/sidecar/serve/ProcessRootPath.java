package dev.dumpflow.sidecar.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
