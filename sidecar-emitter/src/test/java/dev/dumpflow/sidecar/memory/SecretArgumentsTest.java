package dev.dumpflow.sidecar.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.ProcessRuntime;
import org.junit.jupiter.api.Test;

class SecretArgumentsTest {

    @Test
    void valuesOfSecretLookingArgumentsNeverReachTheEvent() {
        String command =
                "java -Ddb.password=hunter2 -DAPI_KEY=k3y -jar app.jar --auth-token abc123"
                        + " --client-secret=s3cr3t --port 8080";
        String shown = new WatchedProcess(7, 7, 1, command, ProcessRuntime.JVM).command();
        assertThat(shown)
                .doesNotContain("hunter2", "k3y", "abc123", "s3cr3t")
                .contains("-Ddb.password=<redacted>", "--auth-token <redacted>", "--port 8080");
    }

    @Test
    void ordinaryArgumentsAreLeftAlone() {
        String command = "java -Xmx1g -Dpasses.max=3x -jar checkout.jar --tokens-per-second";
        assertThat(SecretArguments.redact("java -Xmx1g -jar checkout.jar --verbose"))
                .isEqualTo("java -Xmx1g -jar checkout.jar --verbose");
        assertThat(SecretArguments.redact(command)).contains("-Xmx1g", "checkout.jar");
    }
}
