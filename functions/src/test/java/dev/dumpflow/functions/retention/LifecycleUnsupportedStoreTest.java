package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy answers 501 to lifecycle configuration, as some S3-compatible stores do. */
class LifecycleUnsupportedStoreTest {

    private static S3ProxyServer server;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(LifecycleApplier.class.getName());
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        server.close();
    }

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
    }

    @Test
    void aStoreWithoutLifecycleSupportIsReportedOnceAndDoesNotStopStartUp() {
        try (S3Client s3 = LoopbackS3Client.of(server.endpoint())) {
            s3.createBucket(b -> b.bucket("no-lifecycle"));

            LifecycleApplier.Outcome outcome =
                    new LifecycleApplier(s3)
                            .apply(
                                    "no-lifecycle",
                                    new RetentionRules(14, 90, null, TransitionClass.STANDARD_IA, 1)
                                            .lifecycleRules());

            assertThat(outcome).isEqualTo(LifecycleApplier.Outcome.UNSUPPORTED);
        }
        assertThat(records)
                .filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(formatted(r))
                                        .contains("no-lifecycle")
                                        .contains("does not support lifecycle configuration")
                                        .contains("501"));
    }

    private static String formatted(LogRecord record) {
        return record.getParameters() == null
                ? record.getMessage()
                : String.format(record.getMessage(), record.getParameters());
    }
}
