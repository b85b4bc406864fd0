package dev.dumpflow.functions.archive;

import org.jboss.logging.Logger;

/** Logs one dump's progress: start, every 256 MiB read, and the end with speed and ratio. */
final class ArchiveProgress {

    private static final Logger LOG = Logger.getLogger(ArchiveProgress.class);
    private static final long STEP = 256L << 20;

    private final String dumpId;
    private final long size;
    private final long started = System.nanoTime();
    private long nextReport = STEP;

    ArchiveProgress(String dumpId, long size, String key) {
        this.dumpId = dumpId;
        this.size = size;
        LOG.infof("dump %s: archiving %d bytes to %s", dumpId, size, key);
    }

    void read(long bytesRead) {
        if (bytesRead >= nextReport) {
            nextReport = bytesRead + STEP;
            LOG.infof(
                    "dump %s: %d of %d MiB read, %.0f MB/s",
                    dumpId, bytesRead >> 20, size >> 20, megabytesPerSecond(bytesRead));
        }
    }

    void done(long storedBytes) {
        LOG.infof(
                "dump %s: archived %d bytes as %d in %d ms, %.0f MB/s, ratio %.2f",
                dumpId,
                size,
                storedBytes,
                elapsedMillis(),
                megabytesPerSecond(size),
                storedBytes == 0 ? 0.0 : (double) size / storedBytes);
    }

    long elapsedMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private double megabytesPerSecond(long bytes) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return bytes / 1e6 / seconds;
    }
}
