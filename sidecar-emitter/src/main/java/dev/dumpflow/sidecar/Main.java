package dev.dumpflow.sidecar;

import dev.dumpflow.sidecar.config.SidecarConfig;
import dev.dumpflow.sidecar.emit.RetryPolicy;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the sidecar from the environment and runs until SIGTERM (or SIGINT), when it stops
 * cleanly. A wrong configuration stops it at once with exit code 2 and a message naming the
 * variable.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        // One line per record, unless the operator chose a format.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", OrderlyLogManager.class.getName());
        }
        System.Logger log = System.getLogger(Main.class.getName());
        SidecarConfig config;
        try {
            config = SidecarConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException wrong) {
            System.err.println("dumpflow sidecar: " + wrong.getMessage());
            System.exit(2);
            return;
        }
        Sidecar sidecar = Sidecar.start(config, RetryPolicy.DEFAULT, Clock.systemUTC());
        OrderlyLogManager.deferResets();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    log.log(System.Logger.Level.INFO, "stopping on signal");
                                    sidecar.close();
                                    stopped.countDown();
                                    OrderlyLogManager.resetAfterStop();
                                },
                                "dumpflow-shutdown"));
        stopped.await();
    }
}
