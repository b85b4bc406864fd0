package dev.dumpflow.functions.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one pass over the bytes to store: each buffer read goes to SHA-256, to the analysis hand-off
 * (if any) and to zstd, whose worker threads compress into the part uploads. Nothing but one read
 * buffer and zstd's own windows is held here. What is read is the dump as fetched ({@link RawBody},
 * which checks its size), or its redacted rewrite ({@link StoredBytes}).
 */
final class CompressingCopy {

    /** Below G1's humongous threshold even on a small heap, and large enough for few JNI calls. */
    private static final int READ_BUFFER = 256 * 1024;

    private final int level;
    private final int workers;

    CompressingCopy(int level, int workers) {
        this.level = level;
        this.workers = workers;
    }

    /** A zstd frame of this copy's level and workers into {@code target}. */
    ZstdFrame frame(OutputStream target) throws IOException {
        return new ZstdFrame(target, level, workers);
    }

    /**
     * Copies {@code in} to its end into {@code compressed} as one zstd frame.
     *
     * @return SHA-256 of the bytes read, lower-case hex
     */
    String copy(InputStream in, OutputStream compressed, AnalysisTap tap) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[READ_BUFFER];
        ZstdFrame zstd = frame(compressed);
        boolean finished = false;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                if (tap != null) {
                    tap.offer(buffer, 0, n);
                }
                zstd.write(buffer, 0, n);
            }
            finished = true;
        } finally {
            if (finished) {
                zstd.finish();
            } else {
                zstd.discard();
            }
        }
        if (tap != null) {
            tap.end();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
