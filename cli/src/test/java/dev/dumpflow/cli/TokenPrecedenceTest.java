package dev.dumpflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenPrecedenceTest {

    @TempDir Path dir;
    private TestGate gate;
    private Path kubeconfig;

    @BeforeEach
    void startGate() throws IOException {
        gate = new TestGate().listable("shop").listable("team-a");
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(
                kubeconfig,
                """
                apiVersion: v1
                kind: Config
                current-context: team-a
                contexts:
                - name: other
                  context: {cluster: c, user: other-user}
                - name: team-a
                  context:
                    cluster: c
                    user: alice
                    namespace: team-a
                users:
                - name: other-user
                  user: {token: other-token}
                - name: alice
                  user:
                    token: kubeconfig-token
                """);
    }

    @AfterEach
    void stopGate() {
        gate.close();
    }

    private Map<String, String> env(String dumpflowToken) {
        Map<String, String> env = new HashMap<>();
        env.put("DUMPFLOW_URL", gate.url());
        env.put("KUBECONFIG", kubeconfig.toString());
        if (dumpflowToken != null) {
            env.put("DUMPFLOW_TOKEN", dumpflowToken);
        }
        return env;
    }

    @Test
    void theFlagComesBeforeTheEnvironmentAndTheKubeconfig() {
        CommandRun.of(env("env-token"), "ls", "--token", "flag-token");

        assertThat(gate.gateAuthorizations).containsExactly("Bearer flag-token");
    }

    @Test
    void theEnvironmentComesBeforeTheKubeconfig() {
        CommandRun.of(env("env-token"), "ls");

        assertThat(gate.gateAuthorizations).containsExactly("Bearer env-token");
    }

    @Test
    void theKubeconfigGivesTheCurrentContextsUserTokenAndNamespace() {
        CommandRun.of(env(null), "ls");

        assertThat(gate.gateAuthorizations).containsExactly("Bearer kubeconfig-token");
        assertThat(gate.gateQueries).containsExactly("namespace=team-a");
    }

    @Test
    void aRefusedKubeconfigTokenNamesTheFileContextAndUser() {
        CommandRun run = CommandRun.of(env(null), "ls");

        assertThat(run.status()).isEqualTo(4);
        assertThat(run.err()).contains(kubeconfig.toString()).contains("team-a").contains("alice");
    }

    @Test
    void anExecPluginUserIsRefusedWithTheWayOut() throws IOException {
        Files.writeString(
                kubeconfig,
                """
                current-context: eks
                contexts:
                - name: eks
                  context: {cluster: c, user: sso}
                users:
                - name: sso
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: aws
                """);

        CommandRun run = CommandRun.of(env(null), "ls");

        assertThat(run.status()).isEqualTo(4);
        assertThat(run.err()).contains("exec plugin").contains("DUMPFLOW_TOKEN");
        assertThat(gate.gateAuthorizations).isEmpty();
    }
}
