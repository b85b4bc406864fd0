package dev.dumpflow.functions.archive;

import dev.dumpflow.analysis.DumpAnalyzer;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Hands the raw bytes the archive reads to a {@link DumpAnalyzer} running on its own thread,
 * through a bounded queue of reused chunks, so the dump is read once. The analysis is a bonus: when
 * it fails, or cannot keep up for longer than the configured bound, it is dropped and the archive
 * goes on without it. Once it has finished, early or not, the archive stops handing it bytes, so an
 * analysis that gave up never holds the copy back.
 */
final class AnalysisTap {

    private static final Logger LOG = Logger.getLogger(AnalysisTap.class);
    private static final int CHUNK = 512 * 1024;
    private static final int QUEUED_CHUNKS = 16;
    private static final long ROOM_POLL_MILLIS = 100;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {}

    private final String dumpId;
    private final Duration bound;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED_CHUNKS + 2);
    private final CompletableFuture<Optional<HeapAnalysis>> result = new CompletableFuture<>();
    private volatile boolean dropped;

    private AnalysisTap(String dumpId, Duration bound) {
        this.dumpId = dumpId;
        this.bound = bound;
    }

    /**
     * Starts the first of {@code analyzers} that reads {@code format}, on its own thread.
     *
     * @return the tap, or null when none reads the format (the dump is archived without analysis)
     */
    static AnalysisTap startFor(
            Iterable<DumpAnalyzer> analyzers, DumpFormat format, String dumpId, Duration bound) {
        for (DumpAnalyzer analyzer : analyzers) {
            if (analyzer.supports(format)) {
                return start(analyzer, format, dumpId, bound);
            }
        }
        return null;
    }

    /** Starts the analyzer on its own thread. */
    static AnalysisTap start(
            DumpAnalyzer analyzer, DumpFormat format, String dumpId, Duration bound) {
        AnalysisTap tap = new AnalysisTap(dumpId, bound);
        Thread.ofPlatform()
                .daemon()
                .name("analysis-" + dumpId)
                .start(() -> tap.run(analyzer, format));
        return tap;
    }

    private void run(DumpAnalyzer analyzer, DumpFormat format) {
        try {
            result.complete(analyzer.analyze(new QueueStream(), format));
        } catch (Exception | VirtualMachineError e) {
            // An error of the JVM (out of memory, a stack overflow) ends this thread's work only:
            // its allocations are unreachable once it unwinds, and the archive must not wait on a
            // thread that is gone.
            if (!dropped) {
                LOG.warnf("dump %s: heap analysis failed, archiving without it: %s", dumpId, e);
            }
            dropped = true;
            queue.clear();
            result.complete(Optional.empty());
        }
    }

    /**
     * Copies the bytes to the analyzer; waits at most the bound for room, else drops it. Does
     * nothing once the analysis has finished or was dropped.
     */
    void offer(byte[] bytes, int offset, int length) {
        while (length > 0 && !dropped && !result.isDone()) {
            int n = Math.min(length, CHUNK);
            byte[] chunk = free.poll();
            if (chunk == null) {
                chunk = new byte[CHUNK];
            }
            System.arraycopy(bytes, offset, chunk, 0, n);
            put(new Chunk(chunk, n));
            offset += n;
            length -= n;
        }
    }

    /** Tells the analyzer the dump ended. */
    void end() {
        if (!dropped && !result.isDone()) {
            put(END);
        }
    }

    /** Stops the analysis; its thread sees an error on its next read. */
    void drop() {
        dropped = true;
        queue.clear();
    }

    /**
     * The analysis (summary and full histogram), waiting at most the bound for it; empty when
     * dropped or failed.
     */
    Optional<HeapAnalysis> result() {
        try {
            return result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf(
                    "dump %s: heap analysis did not finish within %s, archived without it",
                    dumpId, bound);
        }
        drop();
        return Optional.empty();
    }

    /**
     * Queues the chunk, waiting at most the bound for room; stops waiting as soon as the analysis
     * finishes, since a finished analysis reads no more.
     */
    private void put(Chunk chunk) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (!queue.offer(chunk, ROOM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (result.isDone() || dropped) {
                    return;
                }
                if (System.nanoTime() - deadline < 0) {
                    continue;
                }
                LOG.warnf(
                        "dump %s: heap analysis fell behind by more than %s, archiving without it",
                        dumpId, bound);
                drop();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop();
        }
    }

    /** What the analyzer reads: the queued chunks, in order. */
    private final class QueueStream extends InputStream {
        private Chunk chunk;
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (chunk == null || position == chunk.length()) {
                if (chunk != null && chunk != END) {
                    free.offer(chunk.bytes());
                }
                if (chunk == END) {
                    return -1;
                }
                chunk = next();
                position = 0;
            }
            int n = Math.min(length, chunk.length() - position);
            System.arraycopy(chunk.bytes(), position, target, offset, n);
            position += n;
            return n;
        }

        private Chunk next() throws IOException {
            try {
                while (true) {
                    if (dropped) {
                        throw new IOException("analysis dropped by the archive");
                    }
                    Chunk next = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        return next;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
