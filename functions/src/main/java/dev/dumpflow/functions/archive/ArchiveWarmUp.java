package dev.dumpflow.functions.archive;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.jboss.logging.Logger;

/**
 * Runs the archive's per-byte paths once at start-up, on a thread of its own, so that the first
 * dump of a fresh process (a Knative scale-from-zero start, or a {@code min-scale} replica that has
 * not archived yet) is not the one that pays for them.
 *
 * <p>Why: the copy calls {@code MessageDigest.update} once per read, about 4,000 times per GB, so
 * the JIT compiles SHA-256's intrinsic (SHA-NI) path late, and a fresh process hashed the first
 * hundred MB or more of its first dump in plain Java, at 5 CPU-s per GB instead of 0.6 (profile and
 * figures in docs/performance.md). Thousands of small updates here get it compiled in a fraction of
 * a second. zstd-jni loads its native library on first use, which this also does. Nothing is read
 * from or written to the bucket or the network.
 */
@ApplicationScoped
class ArchiveWarmUp {

    private static final Logger LOG = Logger.getLogger(ArchiveWarmUp.class);

    /** Calls enough for C2 to compile the update path (tier 4 wants thousands of invocations). */
    static final int DIGEST_UPDATES = 20_000;

    private static final int DIGEST_PIECE = 1024;
    private static final int COMPRESSED_BYTES = 4 << 20;

    private final ArchiveConfig config;
    private final MeterRegistry registry;
    private final AtomicLong tookNanos = new AtomicLong();

    ArchiveWarmUp(ArchiveConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.archive().warmUp()) {
            return;
        }
        Thread.ofPlatform().daemon().name("archive-warm-up").start(this::runLogged);
    }

    private void runLogged() {
        try {
            Duration took = run();
            tookNanos.set(took.toNanos());
            Gauge.builder("dumpflow.archive.warm-up.seconds", tookNanos, n -> n.get() / 1e9)
                    .description(
                            "How long start-up took to hash and compress synthetic bytes, so that"
                                    + " the first dump runs compiled code (dumpflow.archive.warm-up).")
                    .register(registry);
            LOG.debugf("archive warm-up done in %d ms", took.toMillis());
        } catch (RuntimeException e) {
            // A warm-up that fails costs the first dump some speed, nothing else.
            LOG.warnf("archive warm-up failed, the first dump may archive slower: %s", e);
        }
    }

    /** Hashes and compresses synthetic bytes the way an archive does; returns how long it took. */
    Duration run() {
        long started = System.nanoTime();
        byte[] piece = new byte[DIGEST_PIECE];
        MessageDigest sha = sha256();
        for (int i = 0; i < DIGEST_UPDATES; i++) {
            piece[i % DIGEST_PIECE] = (byte) i;
            sha.update(piece, 0, piece.length);
        }
        sha.digest();
        try (OutputStream zstd =
                ZstdCompressorOutputStream.builder()
                        .setOutputStream(OutputStream.nullOutputStream())
                        .setLevel(config.compression().level())
                        .setWorkers(config.compression().effectiveWorkers())
                        .setChecksum(true)
                        .get()) {
            byte[] block = new byte[64 * 1024];
            for (int written = 0; written < COMPRESSED_BYTES; written += block.length) {
                block[written % block.length] = (byte) written;
                zstd.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
