package dev.dumpflow.analysis.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedactionModeTest {

    @Test
    void parsesWireNamesIgnoringCaseAndBlanks() {
        assertThat(RedactionMode.fromWire("none")).isEqualTo(RedactionMode.NONE);
        assertThat(RedactionMode.fromWire(" Strings ")).isEqualTo(RedactionMode.STRINGS);
        assertThat(RedactionMode.fromWire("PRIMITIVES\n")).isEqualTo(RedactionMode.PRIMITIVES);
    }

    @Test
    void wireNamesRoundTrip() {
        for (RedactionMode mode : RedactionMode.values()) {
            assertThat(RedactionMode.fromWire(mode.wire())).isEqualTo(mode);
        }
        assertThat(RedactionMode.STRINGS.wire()).isEqualTo("strings");
    }

    @Test
    void rejectsUnknownNamesNamingTheAcceptedForms() {
        assertThatThrownBy(() -> RedactionMode.fromWire("all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'all'")
                .hasMessageContaining("none, strings, primitives");
        assertThatThrownBy(() -> RedactionMode.fromWire(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strictestWinsWhateverTheOrder() {
        RedactionMode none = RedactionMode.NONE;
        RedactionMode strings = RedactionMode.STRINGS;
        RedactionMode primitives = RedactionMode.PRIMITIVES;
        assertThat(RedactionMode.strictest(none, strings)).isEqualTo(strings);
        assertThat(RedactionMode.strictest(strings, none)).isEqualTo(strings);
        assertThat(RedactionMode.strictest(primitives, strings)).isEqualTo(primitives);
        assertThat(RedactionMode.strictest(none, primitives)).isEqualTo(primitives);
        assertThat(RedactionMode.strictest(none, none)).isEqualTo(none);
    }
}
