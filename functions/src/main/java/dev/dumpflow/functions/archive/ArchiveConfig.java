package dev.dumpflow.functions.archive;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** What the archive function needs: where to store, how to compress, upload and fetch. */
@ConfigMapping(prefix = "dumpflow")
public interface ArchiveConfig {

    /** zstd settings. */
    Compression compression();

    /** S3 multipart upload settings. */
    Upload upload();

    /** How dumps are pulled from the sidecar. */
    Fetch fetch();

    /** Archive-wide settings. */
    Archive archive();

    /** zstd settings. */
    interface Compression {
        /**
         * zstd level. 1 is what the performance target compares with ({@code zstd -1}); higher
         * levels trade speed for ratio, negative levels the other way.
         */
        @WithDefault("1")
        int level();

        /** zstd worker threads; unset means the number of available processors. */
        OptionalInt workers();

        /** The workers to use: the configured count, or the available processors. */
        default int effectiveWorkers() {
            return Math.max(1, workers().orElse(Runtime.getRuntime().availableProcessors()));
        }
    }

    /** S3 multipart upload settings. */
    interface Upload {
        /**
         * Size of each multipart part, a Quarkus {@code MemorySize} such as {@code 16M} (units are
         * binary) or a byte count. At least 8 MiB (S3 needs 5 MiB, and fewer, larger parts keep the
         * 10,000-part limit far away) and at most 1 GiB. Memory for parts is about part-size x
         * (concurrency + 1).
         */
        @WithDefault("16M")
        MemorySize partSize();

        /** Parts uploading at the same time while compression goes on; at least 1. */
        @WithDefault("4")
        @WithConverter(PositiveIntConverter.class)
        int concurrency();
    }

    /** How dumps are pulled from the sidecar. */
    interface Fetch {
        /**
         * Hosts the archive may fetch from: host names, IP addresses and CIDR blocks, comma
         * separated. The default allows loopback only, for the local stack; a cluster sets its pod
         * CIDR, for example {@code 10.244.0.0/16}. Link-local (including the cloud metadata address
         * 169.254.169.254), unspecified and multicast addresses are always refused.
         */
        @WithDefault("127.0.0.0/8,::1,localhost")
        @WithConverter(HostRuleConverter.class)
        List<HostRule> allowedHosts();

        /** Connect timeout, and the longest wait for the next bytes of a dump. */
        @WithDefault("30s")
        Duration timeout();

        /**
         * How many times a transfer cut in the middle resumes with an HTTP Range request before the
         * archive gives up (and the Broker retries).
         */
        @WithDefault("3")
        int resumeAttempts();

        /**
         * The slowest a sidecar may send a dump, in bytes per second, as a Quarkus {@code
         * MemorySize} ({@code 1M} is 1 MiB/s): averaged over {@link #minRateWindow()} of the time
         * the archive waits for the sidecar, a transfer below it is cut with a retryable failure,
         * so that a trickling sidecar cannot hold an archive slot. It also bounds a transfer's
         * total time to size / min-rate + window. The default is far below any healthy transfer
         * inside a cluster (hundreds of MB/s); at it, a 4 GiB dump may take 68 minutes.
         */
        @WithDefault("1M")
        MemorySize minRate();

        /**
         * Over how much waiting for the sidecar {@link #minRate()} is averaged. The first window of
         * a transfer is never cut; later, a trickling sidecar is cut at its first byte after a
         * window below the rate, and a stalled one when its read then times out ({@link
         * #timeout()}): with both at 30 s, 30 s after its last byte. Long enough to ride out a
         * sidecar restart or a GC pause, short beside the 10-minute slot wait.
         */
        @WithDefault("30s")
        Duration minRateWindow();
    }

    /** Archive-wide settings. */
    interface Archive {
        /**
         * The longest the archive waits on the heap analysis, for room in its hand-off queue and
         * for its result at the end. Past it, the dump is archived without analysis.
         */
        @WithDefault("30s")
        Duration analysisTimeout();

        /**
         * How many archives may run at once in one process; more wait their turn. Each holds about
         * part-size x (upload concurrency + 1) of part buffers plus its compression state.
         */
        @WithDefault("2")
        @WithConverter(PositiveIntConverter.class)
        int maxConcurrent();

        /**
         * How long an archive waits for a free slot before the event is answered 503, so that the
         * Broker delivers it again later.
         */
        @WithDefault("10m")
        Duration slotWait();
    }
}
