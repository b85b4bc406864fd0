package dev.dumpflow.sidecar.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory laid out as {@code /proc} is, for the cases a live system cannot stage. */
final class ProcTree {

    static final long PF_KTHREAD = 0x00200000L;

    private final Path root;

    ProcTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Writes one process; {@code rssKb < 0} leaves VmRSS out of status. */
    void process(long pid, String comm, char state, long flags, long start, String argv, long rssKb)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.writeString(
                dir.resolve("stat"),
                pid
                        + " ("
                        + comm
                        + ") "
                        + state
                        + " 1 1 1 0 -1 "
                        + flags
                        + " 0 0 0 0 1 1 0 0 20 0 1 0 "
                        + start
                        + " 1000 100 18446744073709551615\n");
        Files.writeString(
                dir.resolve("cmdline"), argv.replace(' ', '\0') + (argv.isEmpty() ? "" : "\0"));
        Files.writeString(
                dir.resolve("status"),
                "Name:\t"
                        + comm
                        + "\nNSpid:\t"
                        + pid
                        + "\n"
                        + (rssKb >= 0 ? "VmRSS:\t" + rssKb + " kB\n" : ""));
    }

    void smapsRollup(long pid, long rssKb) throws IOException {
        Files.writeString(
                root.resolve(Long.toString(pid)).resolve("smaps_rollup"),
                "00400000-7ffd [rollup]\nRss:              " + rssKb + " kB\nPss: 1 kB\n");
    }

    void remove(long pid) throws IOException {
        try (var files = Files.walk(root.resolve(Long.toString(pid)))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
