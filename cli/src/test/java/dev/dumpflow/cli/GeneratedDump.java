package dev.dumpflow.cli;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Samples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A real heap dump of the test JVM, stored as the archive stores it (one zstd frame with its
 * checksum), and the index record that describes it.
 *
 * @param raw the dump's bytes
 * @param stored the zstd object
 * @param record the sample index record, with this dump's key, sizes and SHA-256
 */
record GeneratedDump(byte[] raw, byte[] stored, IndexRecord record) {

    /** Dumps this JVM's live heap once. */
    static GeneratedDump ofThisJvm(Path dir) throws Exception {
        Path file = dir.resolve("generated.hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpHeap(file.toString(), true);
        byte[] raw = Files.readAllBytes(file);
        Files.delete(file);
        byte[] stored = zstd(raw);
        IndexRecord sample = Samples.indexRecord().withGrowth(Samples.growth());
        IndexRecord record =
                new IndexRecord(
                        sample.dumpId(),
                        sample.fileName(),
                        sample.closedAt(),
                        sample.format(),
                        sample.cause(),
                        sample.pid(),
                        sample.bucket(),
                        sample.key(),
                        "zstd",
                        raw.length,
                        stored.length,
                        sha256(raw),
                        sample.archivedAt(),
                        sample.pod(),
                        sample.kubernetes(),
                        sample.analysis(),
                        sample.growth());
        return new GeneratedDump(raw, stored, record);
    }

    /** The name the stored object has at the end of its key. */
    String storedName() {
        return record.key().substring(record.key().lastIndexOf('/') + 1);
    }

    static byte[] zstd(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(out, 3)) {
            zstd.setChecksum(true);
            zstd.write(raw);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
