package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersFromTheGateCannotReachTheTerminal() {
        assertThat(Printable.of("gone\u001b[2J\rmsg\n")).isEqualTo("gone?[2J?msg?");
    }

    @Test
    void nullIsADash() {
        assertThat(Printable.of(null)).isEqualTo("-");
    }
}
