package dev.dumpflow.functions.gate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The download gate: who may list and fetch dumps, through {@code /api/dumps}. */
@ConfigMapping(prefix = "dumpflow.download")
public interface GateConfig {

    /**
     * Whether this process serves the gate's routes ({@code /api/dumps...}). The gate's own Knative
     * Service sets it; the event functions' Service does not, so people never reach them.
     */
    @WithDefault("false")
    boolean gateEnabled();

    /**
     * Whether this process serves the gate and nothing else: events and dead letters are answered
     * 404. The gate's Knative Service sets it, because people (any pod of the cluster) may reach
     * that Service, while events must come only through Knative's data plane to the functions'
     * Service. The local stack leaves it off and runs the functions and the gate in one process.
     */
    @WithDefault("false")
    boolean gateOnly();

    /**
     * Whether the gate allows every request without asking Kubernetes. Only {@code bin/local-stack}
     * sets it, for a machine with no cluster; the gate then logs a WARNING at start.
     */
    @WithDefault("false")
    boolean allowAll();

    /** How long a presigned link the gate redirects to works: more than 0, at most 7 days. */
    @WithDefault("PT5M")
    Duration linkTtl();

    /**
     * The gate's base URL as people reach it, for example {@code https://dumps.example.com}. When
     * set, notifications link to {@code {gate-url}/api/dumps/{id}/download} instead of carrying a
     * presigned URL.
     */
    Optional<URI> gateUrl();

    /** The most index records one listing returns, newest first. */
    @WithDefault("500")
    int maxListed();
}
