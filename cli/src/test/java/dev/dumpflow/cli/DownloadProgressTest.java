package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndEndsOnANewLine() {
        var err = new ByteArrayOutputStream();
        var progress =
                new DownloadProgress(
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        DownloadProgress.LARGE,
                        true);

        for (long done = 0; done <= DownloadProgress.LARGE; done += DownloadProgress.LARGE / 4) {
            progress.at(done);
        }
        progress.finish();

        String shown = err.toString(StandardCharsets.UTF_8);
        assertThat(shown.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(shown).startsWith("\r[").contains("\r[" + "#".repeat(30) + "] 100%");
        assertThat(shown).endsWith("\n");
    }
}
