package dev.dumpflow.localstack.broker;

import java.util.concurrent.CountDownLatch;

/**
 * The local broker as its own process: {@code java -jar
 * local-stack/target/dumpflow-local-stack.jar}, configured by the environment ({@link
 * LocalBrokerConfig#fromEnv}). It runs until it is stopped (SIGTERM or Ctrl-C).
 */
public final class LocalBrokerMain {

    private LocalBrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        LocalBrokerConfig config;
        try {
            config = LocalBrokerConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("local broker: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalBrokerServer server = LocalBrokerServer.start(config);
        // What a sender's K_SINK is; bin/local-stack and the tests wait for this line.
        server.broker()
                .topology()
                .brokers()
                .forEach(
                        b ->
                                System.out.println(
                                        "local broker ready: K_SINK="
                                                + server.ingress(b.namespace(), b.name())));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                },
                                "local-broker-stop"));
        stopped.await();
    }
}
