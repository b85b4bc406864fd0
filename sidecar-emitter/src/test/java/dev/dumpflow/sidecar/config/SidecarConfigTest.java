package dev.dumpflow.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.sidecar.serve.ServeLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarConfigTest {

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("K_SINK", "http://broker-ingress.knative-eventing.svc/shop/default");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void onlyKSinkIsNeededAndEverythingElseHasADefault() {
        SidecarConfig config = SidecarConfig.fromEnv(env());

        assertThat(config.emit().sink())
                .isEqualTo(URI.create("http://broker-ingress.knative-eventing.svc/shop/default"));
        assertThat(config.emit().overrides()).isEmpty();
        assertThat(config.emit().tokenFile()).isEqualTo(Path.of("/oidc/token"));
        assertThat(config.dumpDirs().dirs()).containsExactly(Path.of("/dumps"));
        assertThat(config.dumpDirs().stateDir()).isEqualTo(Path.of("/dumps/.dumpflow"));
        assertThat(config.serve().port()).isEqualTo(8787);
        assertThat(config.serve().tokenTtl()).isEqualTo(Duration.ofHours(6));
        assertThat(config.serve().advertiseHost()).isNotBlank();
        assertThat(config.pod().namespace()).isEqualTo("local");
        assertThat(config.pod().container()).isEqualTo("app");
        assertThat(config.pod().name()).isNotBlank();
        assertThat(config.outbox().dir()).isEqualTo(Path.of("/dumps/.dumpflow/outbox"));
        assertThat(config.outbox().maxEvents()).isEqualTo(10_000);
        assertThat(config.reannounce().after()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theOutboxFollowsTheStateDirUnlessSetAndReannouncementCanBeSwitchedOff() {
        SidecarConfig underState =
                SidecarConfig.fromEnv(
                        env(
                                "DUMPFLOW_STATE_DIR", "/var/lib/dumpflow",
                                "DUMPFLOW_OUTBOX_MAX_EVENTS", "50",
                                "DUMPFLOW_REANNOUNCE_AFTER", "1h"));
        assertThat(underState.outbox().dir()).isEqualTo(Path.of("/var/lib/dumpflow/outbox"));
        assertThat(underState.outbox().maxEvents()).isEqualTo(50);
        assertThat(underState.reannounce().after()).isEqualTo(Duration.ofHours(1));

        SidecarConfig own =
                SidecarConfig.fromEnv(
                        env("DUMPFLOW_OUTBOX_DIR", "/outbox", "DUMPFLOW_REANNOUNCE_AFTER", "off"));
        assertThat(own.outbox().dir()).isEqualTo(Path.of("/outbox"));
        assertThat(own.reannounce().enabled()).isFalse();
    }

    @Test
    void anOutboxInAWatchedDumpDirectoryIsRefused() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("DUMPFLOW_OUTBOX_DIR", "/dumps")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DUMPFLOW_OUTBOX_DIR='/dumps'")
                .hasMessageContaining("not one of DUMPFLOW_DUMP_DIRS");
    }

    @Test
    void readsEveryVariableOfTheDumpPath() {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        env(
                                "K_CE_OVERRIDES", "{\"extensions\":{\"team\":\"payments\"}}",
                                "DUMPFLOW_DUMP_DIRS", "/dumps, /var/dumps ,/dumps",
                                "DUMPFLOW_STATE_DIR", "/var/lib/dumpflow",
                                "DUMPFLOW_PORT", "9000",
                                "POD_IP", "10.1.2.3",
                                "DUMPFLOW_TOKEN_TTL", "90m",
                                "POD_NAME", "checkout-1",
                                "POD_NAMESPACE", "shop",
                                "POD_UID", "uid-1",
                                "NODE_NAME", "node-a",
                                "CONTAINER_NAME", "checkout"));

        assertThat(config.emit().overrides()).containsExactly(Map.entry("team", "payments"));
        assertThat(config.dumpDirs().dirs())
                .isEqualTo(List.of(Path.of("/dumps"), Path.of("/var/dumps")));
        assertThat(config.dumpDirs().stateDir()).isEqualTo(Path.of("/var/lib/dumpflow"));
        assertThat(config.serve().port()).isEqualTo(9000);
        assertThat(config.serve().advertiseHost()).isEqualTo("10.1.2.3");
        assertThat(config.serve().tokenTtl()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.pod().name()).isEqualTo("checkout-1");
        assertThat(config.pod().namespace()).isEqualTo("shop");
        assertThat(config.pod().uid()).isEqualTo("uid-1");
        assertThat(config.pod().node()).isEqualTo("node-a");
        assertThat(config.pod().container()).isEqualTo("checkout");
    }

    @Test
    void advertiseHostWinsOverThePodIpAndIpv6IsBracketedInUrls() {
        SidecarConfig config =
                SidecarConfig.fromEnv(
                        env("POD_IP", "10.1.2.3", "DUMPFLOW_ADVERTISE_HOST", "fd00::1"));

        assertThat(config.serve().advertiseHost()).isEqualTo("fd00::1");
        assertThat(config.serve().urlHost()).isEqualTo("[fd00::1]");
    }

    @Test
    void aMissingSinkStopsStartUpNamingKSink() {
        Map<String, String> env = env();
        env.remove("K_SINK");
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("K_SINK")
                .hasMessageContaining("http or https URL");
    }

    @Test
    void everyWrongValueIsRefusedNamingItsVariableAndTheAcceptedForms() {
        Map<String, String> wrong =
                Map.of(
                        "K_SINK", "ftp://broker/",
                        "K_CE_OVERRIDES", "{\"extensions\":{\"Bad-Name\":\"x\"}}",
                        "DUMPFLOW_DUMP_DIRS", "relative/dumps",
                        "DUMPFLOW_STATE_DIR", "state",
                        "DUMPFLOW_PORT", "70000",
                        "DUMPFLOW_ADVERTISE_HOST", "host/with/slash",
                        "DUMPFLOW_TOKEN_TTL", "forever",
                        "DUMPFLOW_OUTBOX_DIR", "outbox",
                        "DUMPFLOW_OUTBOX_MAX_EVENTS", "0",
                        "DUMPFLOW_REANNOUNCE_AFTER", "never");
        wrong.forEach(
                (variable, value) ->
                        assertThatThrownBy(() -> SidecarConfig.fromEnv(env(variable, value)))
                                .as(variable)
                                .isInstanceOfSatisfying(
                                        ConfigException.class,
                                        e -> assertThat(e.variable()).isEqualTo(variable))
                                .hasMessageContaining(variable)
                                .hasMessageContaining(value)
                                .hasMessageContaining("accepted:"));
    }

    @Test
    void theFileServersLimitsHaveDefaultsAndARefusedValueNamesItsVariable() {
        assertThat(SidecarConfig.fromEnv(env()).serve().limits()).isEqualTo(ServeLimits.DEFAULT);
        assertThat(ServeLimits.DEFAULT)
                .isEqualTo(
                        new ServeLimits(
                                4,
                                2,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(30),
                                128));
        assertThat(
                        SidecarConfig.fromEnv(
                                        env(
                                                "DUMPFLOW_MAX_TRANSFERS", "8",
                                                "DUMPFLOW_MAX_TRANSFERS_PER_DUMP", "3",
                                                "DUMPFLOW_SEND_TIMEOUT", "1m",
                                                "DUMPFLOW_HEADER_TIMEOUT", "5s",
                                                "DUMPFLOW_IDLE_TIMEOUT", "PT2M",
                                                "DUMPFLOW_MAX_CONNECTIONS", "64"))
                                .serve()
                                .limits())
                .isEqualTo(
                        new ServeLimits(
                                8,
                                3,
                                Duration.ofMinutes(1),
                                Duration.ofSeconds(5),
                                Duration.ofMinutes(2),
                                64));
        // One transfer in all makes one per dump the default, not a refusal.
        assertThat(
                        SidecarConfig.fromEnv(env("DUMPFLOW_MAX_TRANSFERS", "1"))
                                .serve()
                                .limits()
                                .maxTransfersPerDump())
                .isEqualTo(1);
        // Five per dump is above the default four in all; four connections leave none to refuse.
        Map<String, String> wrong =
                Map.of(
                        "DUMPFLOW_MAX_TRANSFERS", "0",
                        "DUMPFLOW_MAX_TRANSFERS_PER_DUMP", "5",
                        "DUMPFLOW_SEND_TIMEOUT", "0s",
                        "DUMPFLOW_HEADER_TIMEOUT", "soon",
                        "DUMPFLOW_IDLE_TIMEOUT", "-1s",
                        "DUMPFLOW_MAX_CONNECTIONS", "4");
        wrong.forEach(
                (variable, value) ->
                        assertThatThrownBy(() -> SidecarConfig.fromEnv(env(variable, value)))
                                .as(variable)
                                .isInstanceOfSatisfying(
                                        ConfigException.class,
                                        e -> assertThat(e.variable()).isEqualTo(variable))
                                .hasMessageContaining(variable + "='" + value + "'")
                                .hasMessageContaining("accepted:"));
    }

    @Test
    void theCapOnHeldDumpFilesDefaultsTo256AndAValueOutOfRangeNamesItsVariable() {
        assertThat(SidecarConfig.fromEnv(env()).serve().maxHeldFiles()).isEqualTo(256);
        assertThat(
                        SidecarConfig.fromEnv(env("DUMPFLOW_MAX_HELD_FILES", "8"))
                                .serve()
                                .maxHeldFiles())
                .isEqualTo(8);
        for (String value : List.of("0", "-1", "1048577", "many")) {
            assertThatThrownBy(() -> SidecarConfig.fromEnv(env("DUMPFLOW_MAX_HELD_FILES", value)))
                    .isInstanceOfSatisfying(
                            ConfigException.class,
                            e -> assertThat(e.variable()).isEqualTo("DUMPFLOW_MAX_HELD_FILES"))
                    .hasMessageContaining("DUMPFLOW_MAX_HELD_FILES='" + value + "'")
                    .hasMessageContaining("a whole number from 1 to 1048576");
        }
    }

    @Test
    void theSinkTokenFileCanBeMovedFromWhereTheSinkBindingMountsIt() {
        SidecarConfig config =
                SidecarConfig.fromEnv(env("DUMPFLOW_SINK_TOKEN_FILE", "/var/run/knative/token"));

        assertThat(config.emit().tokenFile()).isEqualTo(Path.of("/var/run/knative/token"));
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("DUMPFLOW_SINK_TOKEN_FILE", "token")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.variable()).isEqualTo("DUMPFLOW_SINK_TOKEN_FILE"))
                .hasMessageContaining("DUMPFLOW_SINK_TOKEN_FILE='token'")
                .hasMessageContaining("an absolute file path");
    }

    @Test
    void malformedOverridesJsonIsRefused() {
        assertThatThrownBy(() -> SidecarConfig.fromEnv(env("K_CE_OVERRIDES", "{extensions")))
                .hasMessageContaining("K_CE_OVERRIDES")
                .hasMessageContaining("{\"extensions\"");
    }

    @Test
    void durationsTakeShortAndIsoForms() {
        Env env = Env.of(Map.of("A", "500ms", "B", "PT2H", "C", "0s"));
        assertThat(env.duration("A", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(env.duration("B", Duration.ZERO)).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> env.duration("C", Duration.ZERO)).hasMessageContaining("C='0s'");
    }
}
