package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * The one pass over a dump's bytes: each buffer read from the sidecar goes to SHA-256, to the
 * analysis hand-off (if any) and to zstd, whose worker threads compress into the part uploads.
 * Nothing but one read buffer and zstd's own windows is held here.
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

    /**
     * Copies exactly {@code expectedSize} bytes from {@code raw} to {@code compressed} as one zstd
     * frame (with its checksum, as the {@code zstd} command writes it).
     *
     * @return SHA-256 of the raw bytes, lower-case hex
     * @throws FunctionFailure unprocessable when the dump is not {@code expectedSize} bytes long
     */
    String copy(
            InputStream raw,
            long expectedSize,
            OutputStream compressed,
            AnalysisTap tap,
            ArchiveProgress progress,
            String dumpId)
            throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[READ_BUFFER];
        long total = 0;
        Gate gate = new Gate(compressed);
        OutputStream zstd =
                ZstdCompressorOutputStream.builder()
                        .setOutputStream(gate)
                        .setLevel(level)
                        .setWorkers(workers)
                        .setChecksum(true)
                        .get();
        boolean finished = false;
        try {
            int n;
            while ((n = raw.read(buffer)) >= 0) {
                total += n;
                if (total > expectedSize) {
                    throw changed(dumpId, "is longer than", expectedSize);
                }
                sha.update(buffer, 0, n);
                if (tap != null) {
                    tap.offer(buffer, 0, n);
                }
                zstd.write(buffer, 0, n);
                progress.read(total);
            }
            finished = true;
        } finally {
            // On failure, free zstd's native context without uploading the rest of the frame.
            gate.open = finished;
            if (finished) {
                zstd.close();
            } else {
                closeAfterFailure(zstd);
            }
        }
        if (total != expectedSize) {
            throw changed(dumpId, "ended at " + total + " bytes, shorter than", expectedSize);
        }
        if (tap != null) {
            tap.end();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void closeAfterFailure(OutputStream zstd) {
        try {
            zstd.close();
        } catch (IOException | RuntimeException e) {
            // The failure that stopped the copy is the one to report.
        }
    }

    /** Passes bytes on until shut, then drops them. */
    private static final class Gate extends FilterOutputStream {
        boolean open = true;

        Gate(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (open) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (open) {
                out.write(bytes, offset, length);
            }
        }
    }

    private static FunctionFailure changed(String dumpId, String what, long expected) {
        return FunctionFailure.unprocessable(
                "dump %s %s the %d bytes announced: the file changed after it was closed"
                        .formatted(dumpId, what, expected),
                null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
