package dev.dumpflow.sidecar.dumpdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpFormat;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatSnifferTest {

    /** An ELF header up to {@code e_type}: 64-bit, little-endian, ET_CORE. */
    static final byte[] ELF = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0};

    /** The same with ET_DYN: a shared library, such as the native ones unpacked into /tmp. */
    static final byte[] SHARED_LIBRARY = {
        0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0
    };

    @TempDir Path dir;

    DumpFormat sniff(String name, byte[] content) throws Exception {
        return FormatSniffer.of(Files.write(dir.resolve(name), content));
    }

    @Test
    void tellsEachFormatFromItsMagicBytes() throws Exception {
        assertThat(sniff("a", "JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(DumpFormat.HPROF);
        assertThat(sniff("b", "MDMP\u0093\u00a7".getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(DumpFormat.DOTNET);
        assertThat(sniff("core.12", ELF)).isEqualTo(DumpFormat.CORE);
        assertThat(sniff("libjansi.so", SHARED_LIBRARY)).isEqualTo(DumpFormat.UNKNOWN);
        assertThat(sniff("core.13", new byte[] {0x7f, 'E', 'L', 'F'}))
                .isEqualTo(DumpFormat.UNKNOWN);
        assertThat(sniff("c", "hello".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(DumpFormat.UNKNOWN);
        assertThat(sniff("empty", new byte[0])).isEqualTo(DumpFormat.UNKNOWN);
    }

    @Test
    void tellsACreatedumpCoreFromAPlainCoreByItsName() throws Exception {
        assertThat(sniff("coredump.4711", ELF)).isEqualTo(DumpFormat.DOTNET);
        assertThat(sniff("core_20261122_034912", ELF)).isEqualTo(DumpFormat.DOTNET);
        assertThat(DumpNaming.pidOf("coredump.4711")).hasValue(4711);
    }

    @Test
    void gzipIsHprofGzOnlyWhenItInflatesToHprof() throws Exception {
        Path hprofGz = dir.resolve("heap.hprof.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hprofGz))) {
            out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.US_ASCII));
        }
        Path otherGz = dir.resolve("logs.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(otherGz))) {
            out.write("just some log lines".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(FormatSniffer.of(hprofGz)).isEqualTo(DumpFormat.HPROF_GZ);
        assertThat(FormatSniffer.of(otherGz)).isEqualTo(DumpFormat.UNKNOWN);
        assertThat(sniff("truncated.gz", new byte[] {0x1f, (byte) 0x8b, 8}))
                .isEqualTo(DumpFormat.UNKNOWN);
    }

    @Test
    void gzippedOomDumpNamesStillTellOomAndPid() {
        assertThat(DumpNaming.causeOf("java_pid42.hprof.gz"))
                .isEqualTo(dev.dumpflow.events.DumpCause.OOM);
        assertThat(DumpNaming.pidOf("java_pid42.hprof.gz.1")).hasValue(42);
        assertThat(DumpNaming.mayBeADump("java_pid42.hprof.p0")).isFalse();
        assertThat(DumpNaming.mayBeADump("java_pid42.hprof")).isTrue();
    }
}
