package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListAndShowTest {

    private static final IndexRecord RECORD = Samples.indexRecord().withGrowth(Samples.growth());

    @TempDir Path home;
    private TestGate gate;

    @BeforeEach
    void startGate() throws IOException {
        gate = new TestGate().with(RECORD, new byte[0]).listable("shop");
    }

    @AfterEach
    void stopGate() {
        gate.close();
    }

    private CommandRun run(String... args) {
        return CommandRun.of(
                Map.of(
                        "DUMPFLOW_URL", gate.url(),
                        "DUMPFLOW_TOKEN", TestGate.TOKEN,
                        "HOME", home.toString()),
                args);
    }

    @Test
    void lsPrintsOneRowPerDumpUnderAHeader() {
        CommandRun run =
                run("ls", "--namespace", "shop", "--workload", "checkout", "--since", "7d");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines())
                .hasSize(2)
                .first()
                .asString()
                .startsWith("ID")
                .contains("NAMESPACE/WORKLOAD/POD", "CAUSE", "RAW", "STORED", "TOP CLASS");
        assertThat(run.out().lines().toList().get(1))
                .containsSubsequence(
                        "20261122T034912Z-7f3a9c01",
                        "2026-11-22 03:49:12Z",
                        "shop/checkout/checkout-7d9f8b6c5-x2x9q",
                        "oom",
                        "117.7 MiB",
                        "11.8 MiB",
                        "-",
                        "byte[] (38.1 MiB)");
    }

    @Test
    void lsAsksTheGateForTheNamespaceWorkloadAndAgeAsIso8601() {
        run("ls", "--namespace", "shop", "--workload", "checkout", "--since", "7d");

        assertThat(gate.gateQueries).containsExactly("namespace=shop&workload=checkout&since=P7D");
    }

    @Test
    void lsOfANamespaceWithoutDumpsSaysSo() {
        gate.listable("empty");

        CommandRun run = run("ls", "--namespace", "empty");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("no dumps\n");
    }

    @Test
    void anAgeThatIsNotOneIsAUsageError() {
        CommandRun run = run("ls", "--since", "a week");

        assertThat(run.status()).isEqualTo(2);
        assertThat(gate.gateQueries).isEmpty();
    }

    @Test
    void showPrintsTheSummaryTheGrowthAndTheKubernetesContext() {
        CommandRun run = run("show", RECORD.dumpId());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("dump 20261122T034912Z-7f3a9c01 (hprof, cause oom, pid 42)")
                .contains(RECORD.key())
                .containsSubsequence("heap:", "byte[]", "java.lang.String")
                .containsSubsequence(
                        "growth since 20261122T014912Z-1b2c3d4e",
                        "+1.2 GiB",
                        "byte[]",
                        "leak suspect",
                        "java.util.HashMap$Node")
                .containsSubsequence(
                        "kubernetes",
                        "Deployment/checkout",
                        "registry.example/checkout:1.4.2",
                        "OOMKilled",
                        "BackOff (x4): Back-off restarting failed container")
                .contains(Samples.SHA256 + " (of the raw dump)")
                .doesNotContain("redacted", "original", "raw/");
    }
}
