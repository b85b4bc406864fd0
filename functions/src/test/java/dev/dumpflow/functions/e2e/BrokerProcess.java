package dev.dumpflow.functions.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's broker as its own process, from local-stack's packaged jar, as {@code
 * bin/local-stack} runs it: routing by the repository's {@code knative/} manifests to the functions
 * at {@code subscriberUrl}. It can be stopped and started again on the same address with the same
 * journal.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("../local-stack/target/dumpflow-local-stack.jar");
    private static final Path KNATIVE = Path.of("../knative");

    /** The path of the Broker of {@code knative/500-broker.yaml} on the broker's ingress. */
    public static final String BROKER_PATH = "/brokers/dumpflow/dumpflow";

    private final String host;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> outputs = new ArrayList<>();
    private ChildProcess process;

    private BrokerProcess(String host, int port, Map<String, String> environment) {
        this.host = host;
        this.port = port;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts a broker on {@code host:port} and waits until it listens.
     *
     * @param journal where it keeps pending deliveries across a restart; empty: memory only
     */
    public static BrokerProcess start(
            String host, int port, String subscriberUrl, Optional<Path> journal) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath().normalize()
                            + " is missing: build it with ./mvnw -B -o -pl functions -am verify");
        }
        Map<String, String> env = new HashMap<>();
        env.put("DUMPFLOW_BROKER_MANIFESTS", KNATIVE.toAbsolutePath().normalize().toString());
        env.put("DUMPFLOW_BROKER_SUBSCRIBER_URL", subscriberUrl);
        env.put("DUMPFLOW_BROKER_HOST", host);
        env.put("DUMPFLOW_BROKER_PORT", String.valueOf(port));
        journal.ifPresent(j -> env.put("DUMPFLOW_BROKER_JOURNAL", j.toString()));
        BrokerProcess broker = new BrokerProcess(host, port, env);
        broker.start();
        return broker;
    }

    /** Starts the process (again) on the same address, with the same configuration. */
    public void start() throws Exception {
        process =
                ChildProcess.start(
                        "broker-" + (outputs.size() + 1),
                        List.of(ChildProcess.java().toString(), "-jar", JAR.toString()),
                        environment,
                        "local broker ready",
                        Duration.ofSeconds(60));
    }

    /** Stops the process as an orchestrator would (SIGTERM, then SIGKILL after 10 s). */
    public void stop() throws InterruptedException {
        process.close();
        outputs.add(process.output());
    }

    /** Where senders post events: the {@code K_SINK} of the manifests' Broker. */
    public URI ingress() {
        return URI.create("http://" + host + ":" + port + BROKER_PATH);
    }

    /** The output of every run so far, the current one last. */
    public String output() {
        List<String> all = new ArrayList<>(outputs);
        if (process != null && process.alive()) {
            all.add(process.output());
        }
        return String.join("\n--- restarted ---\n", all);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.alive()) {
            stop();
        }
    }
}
