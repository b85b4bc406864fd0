package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.Samples;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateRefusalTest {

    @TempDir Path home;
    private TestGate gate;

    @BeforeEach
    void startGate() throws IOException {
        gate = new TestGate().with(Samples.indexRecord(), new byte[0]).listable("shop");
    }

    @AfterEach
    void stopGate() {
        gate.close();
    }

    private Map<String, String> env(String token) {
        return Map.of("DUMPFLOW_URL", gate.url(), "DUMPFLOW_TOKEN", token, "HOME", home.toString());
    }

    @Test
    void aRefusedTokenIsExit4AndNamesWhereTheTokenCameFrom() {
        CommandRun run = CommandRun.of(env("stale-token-1234"), "ls", "--namespace", "shop");

        assertThat(run.status()).isEqualTo(4);
        assertThat(run.err())
                .contains("401")
                .contains("DUMPFLOW_TOKEN")
                .doesNotContain("stale-token-1234");
    }

    @Test
    void noTokenAnywhereIsSentWithoutOneAndA401SaysWhereItWasLookedFor() {
        CommandRun run =
                CommandRun.of(Map.of("DUMPFLOW_URL", gate.url(), "HOME", home.toString()), "ls");

        assertThat(run.status()).isEqualTo(4);
        assertThat(gate.gateAuthorizations).containsExactly("");
        assertThat(run.err()).contains("--token").contains(home.resolve(".kube/config").toString());
    }

    @Test
    void aNamespaceTheUserMayNotListIsExit5() {
        CommandRun run = CommandRun.of(env(TestGate.TOKEN), "ls", "--namespace", "payments");

        assertThat(run.status()).isEqualTo(5);
        assertThat(run.err()).contains("403").contains("payments");
    }

    @Test
    void aDumpThatIsNotThereIsExit6() {
        CommandRun run = CommandRun.of(env(TestGate.TOKEN), "show", "20260101T000000Z-0000ffff");

        assertThat(run.status()).isEqualTo(6);
        assertThat(run.err()).contains("404").contains("20260101T000000Z-0000ffff");
    }

    @Test
    void aGateNobodyAnswersIsExit3AndNamesTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CommandRun run =
                CommandRun.of(Map.of("DUMPFLOW_URL", url, "DUMPFLOW_TOKEN", TestGate.TOKEN), "ls");

        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err()).contains(url);
    }

    @Test
    void withoutAGateUrlIsAUsageError() {
        CommandRun run = CommandRun.of(Map.of("HOME", home.toString()), "ls");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("DUMPFLOW_URL");
    }
}
