package dev.dumpflow.analysis.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.analysis.ChildJvm;
import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.analysis.HprofAnalyzer;
import dev.dumpflow.events.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" at library level: a real JVM holds 100 random tokens in Strings (Latin-1
 * and UTF-16), char[]s and byte[]s (UTF-8, UTF-16LE, UTF-16BE), and two secret longs in an instance
 * field and a static field. Its {@code jcmd GC.heap_dump} dumps, plain and gzipped, are redacted;
 * the raw dump is checked to hold every token first, so that each test can fail.
 */
class RedactionAgainstJvmTest {

    private static final int TOKENS = 100;
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @TempDir static Path dir;

    private static List<String> tokens;
    private static TokenSearch tokenSearch;
    private static TokenSearch secretSearch;
    private static Path raw;
    private static Path rawGz;
    private static SharkCensus rawCensus;
    private static ClassHistogram rawHistogram;

    @BeforeAll
    static void dumpAJvmHoldingTokens() throws Exception {
        SecureRandom random = new SecureRandom();
        tokens = tokens(random);
        tokenSearch = TokenSearch.forTokens(tokens);
        long instanceSecret = random.nextLong() | 0x0101_0101_0101_0101L;
        long staticSecret = random.nextLong() | 0x0101_0101_0101_0101L;
        secretSearch = new TokenSearch();
        secretSearch.add(new TokenSearch.Pattern("instance secret", bigEndian(instanceSecret)));
        secretSearch.add(new TokenSearch.Pattern("static secret", bigEndian(staticSecret)));
        try (ChildJvm jvm =
                ChildJvm.start(
                        List.of(
                                "-Xmx64m",
                                "-XX:+UseSerialGC",
                                "-cp",
                                ChildJvm.testClassPath(),
                                TokenHolder.class.getName()),
                        "LISTENING")) {
            jvm.tell(Integer.toString(TOKENS));
            for (String token : tokens) {
                jvm.tell(token);
            }
            jvm.tell(instanceSecret + " " + staticSecret);
            jvm.awaitOutput("HOLDING");
            long pid = childPid();
            raw = heapDump(pid, dir.resolve("raw.hprof"), false);
            rawGz = heapDump(pid, dir.resolve("raw.hprof.gz"), true);
        }
        rawCensus = SharkCensus.of(raw.toFile());
        rawHistogram = histogram(raw);
    }

    @Test
    void rawDumpHoldsEveryTokenInEveryEncodingAndBothSecrets() throws Exception {
        byte[] dump = Files.readAllBytes(raw);

        assertThat(tokenSearch.foundIn(dump)).hasSize(3 * TOKENS);
        assertThat(secretSearch.foundIn(dump)).hasSize(2);
        assertThat(rawCensus.bytesRead()).isEqualTo(Files.size(raw));
    }

    @Test
    void stringsRemovesEveryTokenAndKeepsTheHeapsShape() throws Exception {
        Path redacted = redact(Files.newInputStream(raw), RedactionMode.STRINGS, "strings.hprof");
        byte[] dump = Files.readAllBytes(redacted);

        assertThat(tokenSearch.foundIn(dump)).isEmpty();
        assertThat(dump).hasSize((int) Files.size(raw));
        assertThat(histogram(redacted)).isEqualTo(rawHistogram);
        SharkCensus census = SharkCensus.of(redacted.toFile());
        assertThat(census.bytesRead()).isEqualTo(dump.length);
        assertSameShape(census);
        assertThat(census.stringArraysZero()).isTrue();
        // Nothing but char[] and byte[] changes: other arrays and primitive fields stay.
        assertThat(census.otherArraysCrc()).isEqualTo(rawCensus.otherArraysCrc());
        assertThat(secretSearch.foundIn(dump)).hasSize(2);
    }

    @Test
    void primitivesRemovesTokensArraysAndPrimitiveFields() throws Exception {
        Path redacted =
                redact(Files.newInputStream(raw), RedactionMode.PRIMITIVES, "primitives.hprof");
        byte[] dump = Files.readAllBytes(redacted);

        assertThat(tokenSearch.foundIn(dump)).isEmpty();
        assertThat(secretSearch.foundIn(dump)).isEmpty();
        assertThat(dump).hasSize((int) Files.size(raw));
        assertThat(histogram(redacted)).isEqualTo(rawHistogram);
        SharkCensus census = SharkCensus.of(redacted.toFile());
        assertThat(census.bytesRead()).isEqualTo(dump.length);
        assertSameShape(census);
        assertThat(census.stringArraysZero()).isTrue();
        assertThat(census.otherArraysZero()).isTrue();
        assertThat(rawCensus.otherArraysZero()).isFalse();
    }

    @Test
    void gzippedDumpIsRedactedThroughGunzip() throws Exception {
        Path redacted =
                redact(
                        new GZIPInputStream(Files.newInputStream(rawGz), 64 * 1024),
                        RedactionMode.STRINGS,
                        "gz-strings.hprof");
        byte[] dump = Files.readAllBytes(redacted);
        Path gunzipped = dir.resolve("gunzipped.hprof");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rawGz))) {
            Files.copy(in, gunzipped);
        }

        assertThat(tokenSearch.foundIn(Files.readAllBytes(gunzipped))).hasSize(3 * TOKENS);
        assertThat(tokenSearch.foundIn(dump)).isEmpty();
        assertThat(dump).hasSize((int) Files.size(gunzipped));
        assertThat(histogram(redacted)).isEqualTo(histogram(gunzipped));
        SharkCensus census = SharkCensus.of(redacted.toFile());
        SharkCensus original = SharkCensus.of(gunzipped.toFile());
        assertThat(census.bytesRead()).isEqualTo(dump.length);
        assertThat(census.instances()).isEqualTo(original.instances());
        assertThat(census.primitiveArrays()).isEqualTo(original.primitiveArrays());
        assertThat(census.stringArraysZero()).isTrue();
    }

    private static void assertSameShape(SharkCensus census) {
        assertThat(census.records()).isEqualTo(rawCensus.records());
        assertThat(census.classes()).isEqualTo(rawCensus.classes());
        assertThat(census.instances()).isEqualTo(rawCensus.instances());
        assertThat(census.objectArrays()).isEqualTo(rawCensus.objectArrays());
        assertThat(census.primitiveArrays()).isEqualTo(rawCensus.primitiveArrays());
        assertThat(census.instanceFieldBytes()).isEqualTo(rawCensus.instanceFieldBytes());
        assertThat(census.instances()).isGreaterThan(1000);
    }

    /** Redacts through a small odd buffer, so that records straddle many reads. */
    private static Path redact(InputStream source, RedactionMode mode, String name)
            throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = RedactingInputStream.of(source, mode);
                OutputStream to = Files.newOutputStream(out)) {
            byte[] buffer = new byte[8191];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
            }
        }
        return out;
    }

    private static ClassHistogram histogram(Path hprof) throws IOException {
        try (InputStream in = Files.newInputStream(hprof)) {
            return new HprofAnalyzer(AnalysisSettings.defaults())
                    .analyze(in, DumpFormat.HPROF)
                    .orElseThrow()
                    .histogram();
        }
    }

    /** 24 random alphanumeric characters each, no two sharing their first 4 (8 UTF-16 bytes). */
    private static List<String> tokens(SecureRandom random) {
        List<String> tokens = new ArrayList<>();
        Set<String> heads = new HashSet<>();
        while (tokens.size() < TOKENS) {
            StringBuilder token = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (heads.add(token.substring(0, 4))) {
                tokens.add(token.toString());
            }
        }
        return tokens;
    }

    private static byte[] bigEndian(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static long childPid() {
        return ProcessHandle.current()
                .children()
                .filter(
                        p ->
                                p.info()
                                        .arguments()
                                        .map(a -> List.of(a).contains(TokenHolder.class.getName()))
                                        .orElse(false))
                .findFirst()
                .orElseThrow()
                .pid();
    }

    private static Path heapDump(long pid, Path file, boolean gzip) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaHome().resolve("bin/jcmd").toString());
        command.add(Long.toString(pid));
        command.add("GC.heap_dump");
        if (gzip) {
            command.add("-gz=1");
        }
        command.add(file.toString());
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jcmd.exitValue()).as(output).isZero();
        assertThat(file).exists();
        return file;
    }
}
