package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.IndexRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetCommandTest {

    private static GeneratedDump dump;

    @TempDir Path dir;
    private TestGate gate;

    @BeforeAll
    static void dumpThisJvm(@TempDir Path scratch) throws Exception {
        dump = GeneratedDump.ofThisJvm(scratch);
    }

    @AfterEach
    void stopGate() {
        if (gate != null) {
            gate.close();
        }
    }

    private CommandRun get(String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "get";
        args[1] = dump.record().dumpId();
        System.arraycopy(options, 0, args, 2, options.length);
        return CommandRun.of(
                Map.of(
                        "DUMPFLOW_URL", gate.url(),
                        "DUMPFLOW_TOKEN", TestGate.TOKEN,
                        "HOME", dir.toString()),
                args);
    }

    @Test
    void writesTheStoredObjectOnceTheRawDumpsSha256Matches() throws Exception {
        gate = new TestGate().with(dump.record(), dump.stored());
        Path output = dir.resolve(dump.storedName());

        CommandRun run = get("-o", output.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(output)).isEqualTo(dump.stored());
        assertThat(run.out()).contains(output.toString());
        assertThat(gate.gateAuthorizations).containsOnly("Bearer " + TestGate.TOKEN);
        // The presigned link is its own credential: the user's token never reaches storage.
        assertThat(gate.storageAuthorizations).containsExactly("");
    }

    @Test
    void decompressWritesTheRawDump() throws Exception {
        gate = new TestGate().with(dump.record(), dump.stored());
        Path output = dir.resolve("dump.hprof");

        CommandRun run = get("-o", output.toString(), "--decompress");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(output)).isEqualTo(dump.raw());
    }

    @Test
    void anObjectThatIsNotTheRecordedDumpIsAChecksumMismatchAndWritesNothing() throws Exception {
        byte[] changed = dump.raw().clone();
        changed[changed.length / 2] ^= 0x01;
        gate = new TestGate().with(dump.record(), GeneratedDump.zstd(changed));
        Path output = dir.resolve("dump.hprof");

        CommandRun run = get("-o", output.toString(), "--decompress");

        assertThat(run.status()).isEqualTo(7);
        assertThat(run.err()).contains("SHA-256").contains(dump.record().sha256());
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aDamagedZstdObjectIsAChecksumMismatchAndWritesNothing() throws Exception {
        byte[] damaged = dump.stored().clone();
        damaged[damaged.length / 2] ^= (byte) 0xff;
        gate = new TestGate().with(dump.record(), damaged);

        CommandRun run = get("-o", dir.resolve("dump.hprof.zst").toString());

        assertThat(run.status()).isEqualTo(7);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aLargeDownloadReportsProgressOnStderrWhenItIsNotATerminal() throws Exception {
        // Random bytes do not compress, so the stored object is as large as the dump.
        byte[] raw = new byte[(int) DownloadProgress.LARGE * 2];
        new java.util.Random(20).nextBytes(raw);
        byte[] stored = GeneratedDump.zstd(raw);
        IndexRecord record = dump.record();
        IndexRecord large =
                new IndexRecord(
                        record.dumpId(),
                        record.fileName(),
                        record.closedAt(),
                        record.format(),
                        record.cause(),
                        record.pid(),
                        record.bucket(),
                        record.key(),
                        record.codec(),
                        raw.length,
                        stored.length,
                        GeneratedDump.sha256(raw),
                        record.archivedAt(),
                        record.pod(),
                        record.kubernetes(),
                        record.analysis(),
                        record.growth());
        gate = new TestGate().with(large, stored);
        Path output = dir.resolve("large.hprof.zst");

        CommandRun run = get("-o", output.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(output)).isEqualTo(stored);
        // One line per tenth, none redrawn in place: readable in a CI log.
        assertThat(run.err().lines().count()).isBetween(10L, 11L);
        assertThat(run.err()).doesNotContain("\r");
    }

    @Test
    void aSmallDownloadPrintsNoProgress() throws Exception {
        gate = new TestGate().with(dump.record(), dump.stored());

        CommandRun run = get("-o", dir.resolve("small.hprof.zst").toString());

        assertThat(run.status()).isZero();
        assertThat(dump.stored().length).isLessThan((int) DownloadProgress.LARGE);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anUnknownDumpIsNotFound() throws Exception {
        gate = new TestGate();

        CommandRun run = get("-o", dir.resolve("x").toString());

        assertThat(run.status()).isEqualTo(6);
        assertThat(run.err()).contains("404").contains(dump.record().dumpId());
        assertThat(dir).isEmptyDirectory();
    }
}
