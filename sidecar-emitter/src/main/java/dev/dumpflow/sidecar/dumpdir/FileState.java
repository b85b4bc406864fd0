package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.sidecar.serve.HeldFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * What a file looks like at one moment; two equal states a quiet period apart mean nobody wrote in
 * between.
 *
 * @param sizeBytes the size
 * @param modifiedMillis the modification time
 * @param identity the file's identity (device and inode), so a replaced file is told apart
 */
record FileState(long sizeBytes, long modifiedMillis, Object identity) {

    /**
     * The state of a regular file; empty for a file that is gone, a directory or a symbolic link (a
     * link is never followed, so a link cannot expose a file outside the dump directories).
     */
    static Optional<FileState> of(Path file) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(
                            file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(
                    new FileState(
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis(),
                            attributes.fileKey()));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** The state of a held file, read through its descriptor; empty when unreadable. */
    static Optional<FileState> of(HeldFile file) {
        try {
            BasicFileAttributes attributes = file.attributes();
            return Optional.of(
                    new FileState(
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis(),
                            attributes.fileKey()));
        } catch (IOException released) {
            return Optional.empty();
        }
    }
}
