package dev.dumpflow.localstack.broker;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local broker's tests share: manifests in a temporary directory, a recording subscriber
 * on loopback, and the broker under test, closed after each test.
 */
abstract class BrokerTestBase {

    @TempDir Path dir;
    RecordingSubscriber subscriber;
    LocalBroker broker;

    @BeforeEach
    void startSubscriber() throws IOException {
        subscriber = new RecordingSubscriber();
    }

    @AfterEach
    void stopBrokerAndSubscriber() {
        if (broker != null) {
            broker.close();
        }
        subscriber.close();
    }
}
