package dev.dumpflow.functions.deadletter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** How the dead-letter handler proves who it is when it sends {@code dump.failed} to K_SINK. */
@ConfigMapping(prefix = "dumpflow.dead-letter")
public interface DeadLetterConfig {

    /**
     * The file holding the functions' OIDC token, presented to {@code K_SINK} as {@code
     * Authorization: Bearer} and read afresh for every send, since Knative renews it. With Knative
     * Eventing's {@code authentication-oidc} on, the functions' SinkBinding ({@code
     * knative/710-sinkbinding-functions.yaml}) mounts it at {@code /oidc/token}, the default.
     * Without the file (no OIDC, or the local stack) the event goes without a token.
     */
    @WithDefault("/oidc/token")
    Path sinkTokenFile();
}
