package dev.dumpflow.functions.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * One zstd frame (with its checksum, as the {@code zstd} command writes it) compressed by worker
 * threads into {@code target}. Ended by {@link #finish()}, or by {@link #discard()} after a
 * failure, which frees zstd's native context without writing the rest of the frame.
 */
final class ZstdFrame extends OutputStream {

    private final Gate gate;
    private final OutputStream zstd;

    ZstdFrame(OutputStream target, int level, int workers) throws IOException {
        this.gate = new Gate(target);
        this.zstd =
                ZstdCompressorOutputStream.builder()
                        .setOutputStream(gate)
                        .setLevel(level)
                        .setWorkers(workers)
                        .setChecksum(true)
                        .get();
    }

    @Override
    public void write(int b) throws IOException {
        zstd.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        zstd.write(bytes, offset, length);
    }

    /** Writes the end of the frame. */
    void finish() throws IOException {
        zstd.close();
    }

    /** Drops the frame: nothing more reaches the target. Never throws. */
    void discard() {
        gate.open = false;
        try {
            zstd.close();
        } catch (IOException | RuntimeException e) {
            // The failure that stopped the copy is the one to report.
        }
    }

    /** Does not close the target: the caller ends the upload with finish or abort. */
    @Override
    public void close() {}

    /** Passes bytes on until shut, then drops them. */
    private static final class Gate extends FilterOutputStream {
        volatile boolean open = true;

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

        @Override
        public void close() {}
    }
}
