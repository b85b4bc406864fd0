package dev.dumpflow.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one duration parser behind every duration the sidecar's environment holds. */
class DurationTextTest {

    @Test
    void readsEveryShortUnitAndIso8601() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationText.parse("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.parse("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void ignoresWhitespaceAroundTheValueButRefusesItInside() {
        assertThat(DurationText.parse(" 5s\t")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationText.parse(" PT5S ")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> DurationText.parse("5 s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5 s' is not")
                .hasMessageContaining("500ms");
    }

    @Test
    void zeroIsADurationButNotAPositiveOne() {
        assertThat(DurationText.parse("0s")).isZero();
        assertThat(DurationText.parse("PT0S")).isZero();
        assertThatThrownBy(() -> DurationText.parsePositive("0s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than zero");
        assertThatThrownBy(() -> DurationText.parsePositive("PT0S"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNegativeUnknownUnitsAndOverflow() {
        assertThatThrownBy(() -> DurationText.parse("PT-5S")).hasMessageContaining("negative");
        assertThatThrownBy(() -> DurationText.parse("-5s")).hasMessageContaining("is not");
        assertThatThrownBy(() -> DurationText.parse("5w")).hasMessageContaining("is not");
        assertThatThrownBy(() -> DurationText.parse("99999999999999999999s"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDurationVariableReadsTheSameForms() {
        Map<String, String> spaced =
                Map.of(
                        "K_SINK", "http://sink/",
                        "DUMPFLOW_TOKEN_TTL", " 2h ",
                        "DUMPFLOW_REANNOUNCE_AFTER", " 90s",
                        "DUMPFLOW_POLL_INTERVAL", "PT1S ",
                        "DUMPFLOW_CAPTURE_COOLDOWN", " 0s",
                        "DUMPFLOW_CAPTURE_TIMEOUT", "2m ");
        SidecarConfig config = SidecarConfig.fromEnv(spaced);

        assertThat(config.serve().tokenTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.reannounce().after()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.memory().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.capture().cooldown()).isZero();
        assertThat(config.capture().timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aSettingThatNeedsTimeToPassRefusesZeroNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                SidecarConfig.fromEnv(
                                        Map.of(
                                                "K_SINK", "http://sink/",
                                                "DUMPFLOW_TOKEN_TTL", "0s")))
                .hasMessageContaining("DUMPFLOW_TOKEN_TTL")
                .hasMessageContaining("more than zero");
        assertThatThrownBy(
                        () ->
                                SidecarConfig.fromEnv(
                                        Map.of(
                                                "K_SINK", "http://sink/",
                                                "DUMPFLOW_CAPTURE_TIMEOUT", "0s")))
                .hasMessageContaining("DUMPFLOW_CAPTURE_TIMEOUT");
    }
}
