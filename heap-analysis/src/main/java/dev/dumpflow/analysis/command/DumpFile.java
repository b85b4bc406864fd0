package dev.dumpflow.analysis.command;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.dumpflow.events.DumpFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A dump on disk, told apart by its first bytes rather than its name: HPROF, gzipped HPROF (as
 * {@code jcmd GC.heap_dump -gz} writes it), or zstd (as the archive stores either of them).
 */
final class DumpFile {

    private static final byte[] HPROF_MAGIC = "JAVA PROFILE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final int BUFFER_BYTES = 1 << 20;

    /** How the file's bytes reach the analyzer. */
    enum Encoding {
        HPROF,
        GZIP,
        ZSTD
    }

    private final Path path;
    private final Encoding encoding;

    private DumpFile(Path path, Encoding encoding) {
        this.path = path;
        this.encoding = encoding;
    }

    /** Looks at the file's first bytes; refuses a missing, empty or unknown file. */
    static DumpFile of(Path path) throws AnalyzeFailure {
        if (Files.isDirectory(path)) {
            throw AnalyzeFailure.unreadable(path + " is a directory, not a dump file", null);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(HPROF_MAGIC.length);
        } catch (NoSuchFileException e) {
            throw AnalyzeFailure.unreadable(path + ": no such file", e);
        } catch (IOException e) {
            throw AnalyzeFailure.unreadable(path + ": cannot read it: " + e.getMessage(), e);
        }
        if (head.length == 0) {
            throw AnalyzeFailure.unknownFormat(path + " is empty");
        }
        if (startsWith(head, ZSTD_MAGIC)) {
            return new DumpFile(path, Encoding.ZSTD);
        }
        if (startsWith(head, GZIP_MAGIC)) {
            return new DumpFile(path, Encoding.GZIP);
        }
        if (startsWith(head, HPROF_MAGIC)) {
            return new DumpFile(path, Encoding.HPROF);
        }
        throw AnalyzeFailure.unknownFormat(
                path
                        + " is not a heap dump this command reads: it starts with neither"
                        + " \"JAVA PROFILE\" (HPROF) nor the gzip or zstd magic");
    }

    Path path() {
        return path;
    }

    Encoding encoding() {
        return encoding;
    }

    /** The format to declare to the analyzer, which itself finds gzip inside a zstd file. */
    DumpFormat format() {
        return encoding == Encoding.GZIP ? DumpFormat.HPROF_GZ : DumpFormat.HPROF;
    }

    /** The file's content, decompressed from zstd when it is stored that way. */
    InputStream open() throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(path), BUFFER_BYTES);
        if (encoding != Encoding.ZSTD) {
            return file;
        }
        try {
            return new ZstdInputStreamNoFinalizer(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length
                && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
