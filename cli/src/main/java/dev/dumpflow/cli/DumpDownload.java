package dev.dumpflow.cli;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import dev.dumpflow.events.IndexRecord;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code dumps get}: fetches a stored dump through the gate's link and writes it, only once it is
 * proved whole. The object is decompressed while it arrives, whether or not the file keeps it
 * compressed, because the record's SHA-256 is of the raw dump; the file is written under a
 * temporary name beside the output and renamed when the digest matches, so a damaged download never
 * appears under the name a person or a script expects.
 */
final class DumpDownload {

    private static final int BUFFER = 256 * 1024;

    private final GateClient gate;
    private final PrintStream err;
    private final boolean terminal;

    DumpDownload(GateClient gate, PrintStream err, boolean terminal) {
        this.gate = gate;
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Downloads the dump of {@code record} to {@code output}.
     *
     * @param decompress whether to write the raw dump rather than the stored zstd object
     * @throws CliFailure checksum mismatch when the bytes are not the recorded dump; nothing is
     *     left at {@code output} then
     */
    void fetch(IndexRecord record, Path output, boolean decompress) throws CliFailure {
        if (!"zstd".equals(record.codec())) {
            throw CliFailure.of(
                    CliFailure.Kind.FAILED,
                    "dump " + record.dumpId() + " is stored as " + record.codec() + ", not zstd");
        }
        URI link = gate.downloadLink(record.dumpId());
        HttpResponse<InputStream> response = gate.openObject(link);
        long total =
                response.headers().firstValueAsLong("Content-Length").orElse(record.storedBytes());
        Path target = output.toAbsolutePath();
        Path temp = createTemp(target);
        boolean kept = false;
        try {
            String sha256;
            long rawBytes;
            DownloadProgress progress = new DownloadProgress(err, total, terminal);
            try (InputStream network = new Arriving(response.body(), progress);
                    OutputStream file =
                            new BufferedOutputStream(Files.newOutputStream(temp), BUFFER)) {
                InputStream compressed = decompress ? network : new Copying(network, file);
                MessageDigest sha = sha256();
                byte[] buffer = new byte[BUFFER];
                long raw = 0;
                try (ZstdInputStream zstd = new ZstdInputStream(compressed)) {
                    int n;
                    while ((n = zstd.read(buffer)) >= 0) {
                        sha.update(buffer, 0, n);
                        raw += n;
                        if (decompress) {
                            file.write(buffer, 0, n);
                        }
                    }
                    // Whatever follows the frame is still part of the stored object.
                    compressed.transferTo(OutputStream.nullOutputStream());
                }
                sha256 = HexFormat.of().formatHex(sha.digest());
                rawBytes = raw;
            } finally {
                progress.finish();
            }
            if (!sha256.equalsIgnoreCase(record.sha256()) || rawBytes != record.rawBytes()) {
                throw CliFailure.of(
                        CliFailure.Kind.CHECKSUM_MISMATCH,
                        "dump "
                                + record.dumpId()
                                + " arrived damaged: SHA-256 "
                                + sha256
                                + " of "
                                + rawBytes
                                + " raw bytes, but the record says "
                                + record.sha256()
                                + " of "
                                + record.rawBytes()
                                + "; nothing was written");
            }
            moveInto(temp, target);
            kept = true;
        } catch (ZstdIOException e) {
            throw CliFailure.of(
                    CliFailure.Kind.CHECKSUM_MISMATCH,
                    "dump "
                            + record.dumpId()
                            + " arrived damaged: it is not a whole zstd stream ("
                            + e.getMessage()
                            + "); nothing was written",
                    e);
        } catch (NetworkCut e) {
            throw CliFailure.of(
                    CliFailure.Kind.UNREACHABLE,
                    "the download from "
                            + link.getHost()
                            + " broke off: "
                            + GateClient.reason((IOException) e.getCause()),
                    e);
        } catch (IOException e) {
            throw CliFailure.of(CliFailure.Kind.FAILED, "cannot write " + target + ": " + e, e);
        } finally {
            if (!kept) {
                deleteQuietly(temp);
            }
        }
    }

    private static Path createTemp(Path target) throws CliFailure {
        try {
            return Files.createTempFile(
                    target.getParent(), "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw CliFailure.of(
                    CliFailure.Kind.FAILED,
                    "cannot write into " + target.getParent() + ": " + e,
                    e);
        }
    }

    private static void moveInto(Path temp, Path target) throws IOException {
        try {
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The failure being reported matters more than a stray .part file.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A read from the network that failed, told apart from a failure to write the file. */
    private static final class NetworkCut extends IOException {
        NetworkCut(IOException cause) {
            super(cause);
        }
    }

    /** The response body: counts what arrives for the progress display. */
    private static final class Arriving extends FilterInputStream {
        private final DownloadProgress progress;
        private long done;

        Arriving(InputStream in, DownloadProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw new NetworkCut(e);
            }
            if (n > 0) {
                done += n;
                progress.at(done);
            }
            return n;
        }
    }

    /** Writes every compressed byte read through it to the file, as it is read. */
    private static final class Copying extends FilterInputStream {
        private final OutputStream file;

        Copying(InputStream in, OutputStream file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                file.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes would be missing from the file: read them through instead.
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}
