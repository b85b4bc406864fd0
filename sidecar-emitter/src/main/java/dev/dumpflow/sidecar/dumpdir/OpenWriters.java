package dev.dumpflow.sidecar.dumpdir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether some process still holds a file open for writing, as {@code /proc/<pid>/fd} and {@code
 * fdinfo} show. With a shared process namespace the sidecar sees the application's processes; where
 * /proc tells nothing (another user's process, no /proc), the answer is "no", and the quiet period
 * alone has to do.
 */
final class OpenWriters {

    private static final Path PROC = Path.of("/proc");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags:\\s*([0-7]+)$");
    private static final int ACCESS_MODE = 03;
    private static final int READ_ONLY = 0;

    private OpenWriters() {}

    /**
     * Whether a process holds the file open for writing. The file is told by its identity (device
     * and inode), not by its path: a writer in another container names it by a path of its own
     * mount namespace, which means nothing here. Only descriptors whose link ends in the same file
     * name are looked at closer.
     */
    static boolean anyHolds(Path file, Object identity) {
        Path name = file.getFileName();
        if (name == null || identity == null) {
            return false;
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, OpenWriters::isPid)) {
            for (Path pid : pids) {
                if (holdsForWriting(pid, name, identity)) {
                    return true;
                }
            }
        } catch (IOException | SecurityException noProc) {
            return false;
        }
        return false;
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static boolean holdsForWriting(Path pid, Path name, Object identity) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                Path link = linkOf(fd);
                if (link != null
                        && name.equals(link.getFileName())
                        && identity.equals(identityOf(fd))
                        && writable(pid, fd.getFileName().toString())) {
                    return true;
                }
            }
        } catch (IOException | SecurityException notOurs) {
            return false;
        }
        return false;
    }

    private static Path linkOf(Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (IOException | SecurityException closedMeanwhile) {
            return null;
        }
    }

    private static Object identityOf(Path fd) {
        try {
            return Files.readAttributes(fd, BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException closedMeanwhile) {
            return null;
        }
    }

    private static boolean writable(Path pid, String fd) {
        try {
            Matcher flags = FLAGS.matcher(Files.readString(pid.resolve("fdinfo").resolve(fd)));
            return flags.find() && (Integer.parseInt(flags.group(1), 8) & ACCESS_MODE) != READ_ONLY;
        } catch (IOException | SecurityException closedMeanwhile) {
            return false;
        }
    }
}
