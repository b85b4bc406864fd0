package dev.dumpflow.sidecar.dumpdir;

import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Tells a dump's format from its first bytes, and from its name where the bytes are shared. */
final class FormatSniffer {

    private static final byte[] HPROF = "JAVA PROFILE 1.0.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};
    private static final byte[] MINIDUMP = {'M', 'D', 'M', 'P'};
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final int ELF_HEADER = 18;
    private static final int ET_CORE = 4;

    private FormatSniffer() {}

    /** The format of the file; {@link DumpFormat#UNKNOWN} for anything unrecognised. */
    static DumpFormat of(Path file) throws IOException {
        return of(file, file.getFileName().toString());
    }

    /** The format of the file read at {@code file} (a descriptor's path) and named {@code name}. */
    static DumpFormat of(Path file, String name) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ELF_HEADER);
        }
        if (startsWith(head, HPROF)) {
            return DumpFormat.HPROF;
        }
        if (startsWith(head, MINIDUMP)) {
            return DumpFormat.DOTNET;
        }
        if (startsWith(head, ELF) && !isCoreFile(head)) {
            // A shared library or program (native libraries unpacked into /tmp), not a dump.
            return DumpFormat.UNKNOWN;
        }
        if (startsWith(head, ELF)) {
            // createdump and dotnet-dump write ELF cores too; only their names tell them apart.
            return DumpNaming.looksDotnet(name) ? DumpFormat.DOTNET : DumpFormat.CORE;
        }
        if (startsWith(head, GZIP) && inflatedStartsWithHprof(file)) {
            return DumpFormat.HPROF_GZ;
        }
        return DumpFormat.UNKNOWN;
    }

    /** ELF's {@code e_type} at offset 16, in the byte order {@code EI_DATA} (offset 5) names. */
    private static boolean isCoreFile(byte[] head) {
        if (head.length < ELF_HEADER) {
            return false;
        }
        int type =
                head[5] == 2
                        ? (head[16] & 0xff) << 8 | head[17] & 0xff
                        : (head[17] & 0xff) << 8 | head[16] & 0xff;
        return type == ET_CORE;
    }

    private static boolean inflatedStartsWithHprof(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 4096)) {
            return startsWith(in.readNBytes(HPROF.length), HPROF);
        } catch (IOException notGzipAfterAll) {
            return false;
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length
                && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
