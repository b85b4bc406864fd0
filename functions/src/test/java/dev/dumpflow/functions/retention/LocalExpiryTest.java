package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.redact.RedactionConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local stack's own expiry against S3Proxy, the embedded S3 it runs on. Objects are written
 * now; the sweep is told a later "now", which ages them without waiting.
 */
class LocalExpiryTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String DUMP =
            StorageLayout.DUMPS_PREFIX + "shop/cart/2026/11/22/cart-7f3a.v2.hprof.zst";
    private static final String INDEX =
            StorageLayout.INDEX_PREFIX
                    + "namespace=shop/workload=cart/date=2026-11-22/cart-7f3a.v2.json";
    private static final String FOREIGN = "logs/cart.log";
    private static final String RAW =
            StorageLayout.RAW_PREFIX + "shop/cart/2026/11/22/cart-7f3a.v2.hprof.zst";

    private static S3ProxyServer server;
    private S3Client s3;
    private String bucket;
    private final Instant written = Instant.now();

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        server.close();
    }

    @BeforeEach
    void createBucket() {
        s3 = LoopbackS3Client.of(server.endpoint());
        bucket = "local-expiry-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        for (String key : List.of(DUMP, INDEX, FOREIGN)) {
            put(key);
        }
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    @Test
    void keepsEverythingYoungerThanItsRetention() {
        assertThat(expiry(Map.of()).sweep(written.plus(Duration.ofDays(13)))).isZero();

        assertThat(keys()).containsExactlyInAnyOrder(DUMP, INDEX, FOREIGN);
    }

    @Test
    void removesDumpsPastTheirRetentionAndKeepsIndexRecords() {
        assertThat(expiry(Map.of()).sweep(written.plus(Duration.ofDays(15)))).isEqualTo(1);

        assertThat(keys()).containsExactlyInAnyOrder(INDEX, FOREIGN);
    }

    @Test
    void removesIndexRecordsPastTheirRetentionAndNeverTouchesOtherKeys() {
        assertThat(expiry(Map.of()).sweep(written.plus(Duration.ofDays(91)))).isEqualTo(2);

        assertThat(keys()).containsExactly(FOREIGN);
    }

    @Test
    void followsTheConfiguredDays() {
        LocalExpiry expiry = expiry(Map.of("dumpflow.retention.dump-days", "3"));

        assertThat(expiry.sweep(written.plus(Duration.ofDays(4)))).isEqualTo(1);
        assertThat(keys()).containsExactlyInAnyOrder(INDEX, FOREIGN);
    }

    @Test
    void removesExpiredObjectsAcrossListingPages() {
        for (int i = 0; i < 6; i++) {
            put(StorageLayout.DUMPS_PREFIX + "shop/cart/2026/11/22/bulk-" + i + ".hprof.zst");
        }
        LocalExpiry expiry =
                new LocalExpiry(
                        retention(Map.of()),
                        redaction(Map.of()),
                        bucketConfig(),
                        new PrefixSweeper(s3, 2),
                        InstantSource.system());

        assertThat(expiry.sweep(written.plus(Duration.ofDays(15)))).isEqualTo(7);
        assertThat(keys()).containsExactlyInAnyOrder(INDEX, FOREIGN);
    }

    @Test
    void logsEveryRemovedDumpWithItsDumpId() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        lines.add(String.format(r.getMessage(), r.getParameters()));
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger log = Logger.getLogger(PrefixSweeper.class.getName());
        log.addHandler(capture);
        try {
            expiry(Map.of()).sweep(written.plus(Duration.ofDays(91)));
        } finally {
            log.removeHandler(capture);
        }

        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("dumpId=cart-7f3a.v2 key=" + DUMP))
                .anySatisfy(l -> assertThat(l).contains("dumpId=cart-7f3a.v2 key=" + INDEX));
    }

    @Test
    void sweepsOnItsOwnOnceEnabled() throws InterruptedException {
        LocalExpiry expiry =
                new LocalExpiry(
                        retention(
                                Map.of(
                                        "dumpflow.retention.local-expiry.enabled", "true",
                                        "dumpflow.retention.local-expiry.interval", "PT0.2S")),
                        redaction(Map.of()),
                        bucketConfig(),
                        new PrefixSweeper(s3),
                        InstantSource.fixed(written.plus(Duration.ofDays(15))));
        expiry.onStart(null);
        try {
            Instant deadline = Instant.now().plusSeconds(20);
            while (keys().contains(DUMP) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50); // poll the condition; the deadline bounds the wait
            }
        } finally {
            expiry.onStop(null);
        }

        assertThat(keys()).containsExactlyInAnyOrder(INDEX, FOREIGN);
    }

    @Test
    void removesKeptOriginalsPastTheKeepOriginalPeriodAndKeepsTheRedactedDump() {
        put(RAW);
        LocalExpiry expiry = expiry(Map.of("dumpflow.redaction.keep-original", "P3D"));

        assertThat(expiry.sweep(written.plus(Duration.ofDays(2)))).isZero();
        assertThat(keys()).contains(RAW);
        assertThat(expiry.sweep(written.plus(Duration.ofDays(4)))).isEqualTo(1);
        assertThat(keys()).containsExactlyInAnyOrder(DUMP, INDEX, FOREIGN);
    }

    @Test
    void keepsAKeptOriginalForTheWholeDayItsRuleRoundsUpTo() {
        put(RAW);
        LocalExpiry expiry = expiry(Map.of("dumpflow.redaction.keep-original", "PT1H"));

        assertThat(expiry.sweep(written.plus(Duration.ofHours(2)))).isZero();
        assertThat(keys()).contains(RAW);
        assertThat(expiry.sweep(written.plus(Duration.ofHours(25)))).isEqualTo(1);
        assertThat(keys()).doesNotContain(RAW);
    }

    @Test
    void leavesRawAloneWhenNoRuleForItIsDefined() {
        put(RAW);

        assertThat(expiry(Map.of()).sweep(written.plus(Duration.ofDays(91)))).isEqualTo(2);
        assertThat(keys()).containsExactlyInAnyOrder(RAW, FOREIGN);
    }

    private LocalExpiry expiry(Map<String, String> properties) {
        return new LocalExpiry(
                retention(properties),
                redaction(properties),
                bucketConfig(),
                new PrefixSweeper(s3),
                InstantSource.system());
    }

    private RetentionConfig retention(Map<String, String> properties) {
        return config(properties).getConfigMapping(RetentionConfig.class);
    }

    private RedactionConfig redaction(Map<String, String> properties) {
        return config(properties).getConfigMapping(RedactionConfig.class);
    }

    private BucketConfig bucketConfig() {
        return config(Map.of()).getConfigMapping(BucketConfig.class);
    }

    private SmallRyeConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("dumpflow.bucket", bucket);
        return new SmallRyeConfigBuilder()
                .withMapping(RetentionConfig.class)
                .withMapping(BucketConfig.class)
                .withMapping(RedactionConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
    }

    private void put(String key) {
        s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString("x"));
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
