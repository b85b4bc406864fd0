package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening inside an application's root: every link on the way resolves in that root, as the
 * application sees it, never in the sidecar's own file system. The root here is a directory; the
 * sidecar opens {@code /proc/<pid>/root/...} the same way.
 */
class NativeFilesTest {

    @TempDir Path dir;

    @Test
    void anAbsoluteLinkOnTheWayResolvesInTheApplicationsRootNotTheSidecars() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app-root"));
        Path sidecarOwn = Files.createDirectories(dir.resolve("sidecar-secrets"));
        Files.writeString(sidecarOwn.resolve("java_pid1.hprof"), "the sidecar's file");
        // The application points a directory of its dump path at an absolute path.
        Files.createSymbolicLink(root.resolve("dumps"), sidecarOwn);
        Path walked = root.resolve("dumps").resolve("java_pid1.hprof");
        assertThat(Files.readString(walked)).as("a path walk leaves the root").isNotEmpty();

        assertThatThrownBy(() -> NativeFiles.openInRoot(root, Path.of("dumps/java_pid1.hprof")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void dotDotCannotClimbOutOfTheRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app-root"));
        Files.writeString(dir.resolve("outside.hprof"), "outside");
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        assertThat(Files.exists(root.resolve("up/outside.hprof")))
                .as("a path walk climbs")
                .isTrue();

        assertThatThrownBy(() -> NativeFiles.openInRoot(root, Path.of("up/outside.hprof")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anAbsoluteLinkInsideTheRootReachesTheApplicationsOwnFile() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app-root"));
        Files.createDirectories(root.resolve("var/dumps"));
        Files.writeString(root.resolve("var/dumps/java_pid1.hprof"), "the application's dump");
        // As the application sees it: /dumps -> /var/dumps.
        Files.createSymbolicLink(root.resolve("dumps"), Path.of("/var/dumps"));

        int fd = NativeFiles.openInRoot(root, Path.of("dumps/java_pid1.hprof"));
        try {
            assertThat(Files.readString(Path.of("/proc/self/fd/" + fd), StandardCharsets.UTF_8))
                    .isEqualTo("the application's dump");
        } finally {
            NativeFiles.close(fd);
        }
    }
}
