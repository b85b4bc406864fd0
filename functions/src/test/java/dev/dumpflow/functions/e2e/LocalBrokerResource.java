package dev.dumpflow.functions.e2e;

import dev.dumpflow.localstack.broker.LocalBrokerConfig;
import dev.dumpflow.localstack.broker.LocalBrokerServer;
import io.cloudevents.core.provider.EventFormatProvider;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The local stack's broker on a port of its own, routing by the repository's real {@code knative/}
 * manifests to the functions under test, and given to them as {@code K_SINK}, as a SinkBinding
 * would in a cluster. It runs in the test's JVM so that the tests read its log with the functions'.
 */
public class LocalBrokerResource implements QuarkusTestResourceLifecycleManager {

    private LocalBrokerServer broker;

    @Override
    public Map<String, String> start() {
        // The CloudEvents SDK finds its formats through the thread's context class loader, once
        // per class loader: the broker's threads (which inherit it from here) must look in this
        // class's loader, or the SDK, set up with another loader's formats, fails for the
        // functions too.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(LocalBrokerResource.class.getClassLoader());
        try {
            EventFormatProvider.getInstance();
            return startBroker();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Map<String, String> startBroker() {
        broker =
                LocalBrokerServer.start(
                        LocalBrokerConfig.fromEnv(
                                Map.of(
                                        "DUMPFLOW_BROKER_MANIFESTS",
                                        "../knative",
                                        "DUMPFLOW_BROKER_SUBSCRIBER_URL",
                                        "http://127.0.0.1:" + PipelineProfile.port(),
                                        "DUMPFLOW_BROKER_PORT",
                                        "0")));
        return Map.of("K_SINK", broker.ingress("dumpflow", "dumpflow").toString());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
