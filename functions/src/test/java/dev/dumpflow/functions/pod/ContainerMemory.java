package dev.dumpflow.functions.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Watches one container's memory from the host while it runs: the peak of its cgroup's charge as
 * the kernel records it, the largest page-cache and anonymous parts seen (sampled), and the peak
 * resident set of its main process (VmHWM). Reads cgroup v1 (this project's hosts: hybrid) or v2.
 */
final class ContainerMemory implements AutoCloseable {

    /** What was seen; bytes, page cache counting tmpfs (shmem) as the kernel does. */
    record Peaks(long cgroupPeak, long limit, long pageCache, long shmem, long anon, long vmHwm) {

        String describe() {
            return "cgroup peak %.1f MiB of %.0f MiB (page cache at most %.1f MiB, of it tmpfs %.1f MiB; anonymous at most %.1f MiB), peak RSS (VmHWM) %.1f MiB"
                    .formatted(
                            mib(cgroupPeak),
                            mib(limit),
                            mib(pageCache),
                            mib(shmem),
                            mib(anon),
                            mib(vmHwm));
        }

        private static double mib(long bytes) {
            return bytes / 1048576.0;
        }
    }

    private final long pid;
    private final Path cgroup;
    private final boolean v1;
    private final long limit;
    private final Thread sampler;
    private volatile boolean stopped;
    private long pageCache;
    private long shmem;
    private long anon;
    private long vmHwm;
    private long cgroupPeak;

    private ContainerMemory(long pid, Path cgroup, boolean v1) throws IOException {
        this.pid = pid;
        this.cgroup = cgroup;
        this.v1 = v1;
        this.limit = number(v1 ? "memory.limit_in_bytes" : "memory.max");
        this.sampler = Thread.ofPlatform().daemon().name("memory-" + pid).start(this::sample);
    }

    /** Starts watching the container whose main process is host pid {@code pid}. */
    static ContainerMemory watch(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts[1].equals("memory")) {
                return new ContainerMemory(pid, Path.of("/sys/fs/cgroup/memory" + parts[2]), true);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                return new ContainerMemory(pid, Path.of("/sys/fs/cgroup" + parts[2]), false);
            }
        }
        throw new IllegalStateException("no memory cgroup for pid " + pid);
    }

    private void sample() {
        while (!stopped) {
            try {
                takeSample();
                Thread.sleep(100);
            } catch (IOException gone) {
                return; // the container stopped; what was seen stays
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void takeSample() throws IOException {
        Map<String, Long> stat = stat();
        pageCache = Math.max(pageCache, stat.getOrDefault(v1 ? "cache" : "file", 0L));
        shmem = Math.max(shmem, stat.getOrDefault("shmem", 0L));
        anon = Math.max(anon, stat.getOrDefault(v1 ? "rss" : "anon", 0L));
        cgroupPeak = Math.max(cgroupPeak, number(v1 ? "memory.max_usage_in_bytes" : "memory.peak"));
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                vmHwm = Math.max(vmHwm, 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
    }

    /** The peaks so far, with a last sample when the container still runs. */
    synchronized Peaks peaks() {
        try {
            takeSample();
        } catch (IOException gone) {
            // the container stopped; what was seen stays
        }
        return new Peaks(cgroupPeak, limit, pageCache, shmem, anon, vmHwm);
    }

    private Map<String, Long> stat() throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(cgroup.resolve("memory.stat"))) {
            String[] kv = line.split(" ");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }

    private long number(String file) throws IOException {
        Optional<String> text = Optional.of(Files.readString(cgroup.resolve(file)).strip());
        return text.filter(t -> !t.equals("max")).map(Long::parseLong).orElse(Long.MAX_VALUE);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        sampler.join(1000);
    }
}
