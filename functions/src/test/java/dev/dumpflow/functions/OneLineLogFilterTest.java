package dev.dumpflow.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/**
 * The console's log records, as its handler formats them: a value from an event cannot add a line.
 */
class OneLineLogFilterTest {

    private final PatternFormatter console = new PatternFormatter("%-5p [%c] %s%n");

    @Test
    void aValueWithLineBreaksAndEscapesStaysOnTheLineOfItsRecord() {
        ExtLogRecord record =
                record(
                        "answering %d (%s), not retryable: %s",
                        400,
                        "BAD_EVENT",
                        "pod.name 'x'\r\n2026-12-07 INFO  [forged] all is well\u001b[2J\u2028");

        assertThat(new OneLineLogFilter().isLoggable(record)).isTrue();
        String line = console.format(record);

        assertThat(line.lines()).hasSize(1);
        assertThat(line.stripTrailing().chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
        assertThat(line)
                .contains("answering 400 (BAD_EVENT)")
                .contains("\\r\\n2026-12-07 INFO  [forged]")
                .contains("\\u001b[2J\\u2028");
    }

    @Test
    void numbersAndCleanValuesAreFormattedAsTheyWere() {
        ExtLogRecord record = record("dumpId=%s took %d ms (%.1f%%)", "d-1", 42L, 12.5);

        new OneLineLogFilter().isLoggable(record);

        assertThat(console.format(record)).contains("dumpId=d-1 took 42 ms (12.5%)");
    }

    private static ExtLogRecord record(String format, Object... parameters) {
        ExtLogRecord record =
                new ExtLogRecord(Level.INFO, format, ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setLoggerName("dev.dumpflow.functions.FailureResponses");
        record.setParameters(parameters);
        return record;
    }
}
