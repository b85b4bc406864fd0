package dev.dumpflow.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureLedgerTest {

    /** How the sidecar wrote the ledger while it used Jackson. */
    static final ObjectMapper JACKSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static final Map<String, List<Instant>> CAPTURES =
            Map.of(
                    "jvm:java -jar \"shop.jar\"",
                    List.of(
                            Instant.parse("2026-12-01T10:00:00Z"),
                            Instant.parse("2026-12-01T10:20:00.123456789Z")),
                    "dotnet:/app/Cart.dll",
                    List.of());

    @TempDir Path state;

    @Test
    void readsALedgerThatJacksonWroteBeforeTheUpgrade() throws Exception {
        CaptureLedger ledger = new CaptureLedger(state);
        Files.write(ledger.file(), JACKSON.writeValueAsBytes(CAPTURES));

        assertThat(ledger.load()).isEqualTo(CAPTURES);
    }

    @Test
    void writesALedgerJacksonReadsBackTheSame() throws Exception {
        CaptureLedger ledger = new CaptureLedger(state);
        ledger.save(CAPTURES);

        assertThat(
                        JACKSON.readValue(
                                ledger.file().toFile(),
                                new TypeReference<Map<String, List<Instant>>>() {}))
                .isEqualTo(CAPTURES);
        assertThat(ledger.load()).isEqualTo(CAPTURES);
    }

    @Test
    void aLedgerOfTheWrongShapeIsAnErrorNamingTheFile() throws Exception {
        CaptureLedger ledger = new CaptureLedger(state);
        Files.writeString(ledger.file(), "{\"jvm:x\": [\"yesterday\"]}");

        assertThatThrownBy(ledger::load)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(ledger.file().toString());
    }
}
