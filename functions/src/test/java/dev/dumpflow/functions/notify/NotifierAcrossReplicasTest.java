package dev.dumpflow.functions.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.once.OnceMarkers;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two notifier replicas, each with its own S3 client and no memory shared but the bucket (a real
 * S3Proxy), receive copies of one event at the same time: each channel sends once.
 */
class NotifierAcrossReplicasTest {

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static S3ProxyResource s3proxy;
    private final List<S3Client> clients = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void startS3() {
        s3proxy = new S3ProxyResource();
        s3proxy.start();
    }

    @AfterAll
    static void stopS3() {
        s3proxy.stop();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(S3Client::close);
    }

    @Test
    void sixConcurrentCopiesOverTwoReplicasSendOncePerChannel() throws Exception {
        RecordingChannel slack = new RecordingChannel("slack");
        RecordingChannel email = new RecordingChannel("email");
        List<Notifier> replicas =
                List.of(replica(List.of(slack, email)), replica(List.of(slack, email)));
        String event = "/dumpflow/index " + UUID.randomUUID();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Notifier replica = replicas.get(i % 2);
                copies.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    replica.deliver(event, message());
                                    return null;
                                }));
            }
            start.countDown();
            for (Future<?> copy : copies) {
                copy.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(slack.sent).hasSize(1);
        assertThat(email.sent).hasSize(1);
        assertThat(notifications("slack", "sent")).isEqualTo(1);
        assertThat(notifications("slack", "duplicate")).isEqualTo(5);
        assertThat(notifications("email", "sent")).isEqualTo(1);
        assertThat(notifications("email", "duplicate")).isEqualTo(5);
    }

    @Test
    void aRetryOnTheOtherReplicaSendsOnlyThroughTheChannelThatFailed() {
        RecordingChannel slack = new RecordingChannel("slack");
        RecordingChannel email = new RecordingChannel("email");
        email.failures.set(1);
        String event = "/dumpflow/index " + UUID.randomUUID();

        assertThatThrownBy(() -> replica(List.of(slack, email)).deliver(event, message()))
                .isInstanceOfSatisfying(
                        FunctionFailure.class, f -> assertThat(f.kind().retryable()).isTrue());
        replica(List.of(slack, email)).deliver(event, message());

        assertThat(slack.sent).hasSize(1);
        assertThat(email.sent).hasSize(1);
        assertThat(notifications("email", "failed")).isEqualTo(1);
        assertThat(notifications("email", "sent")).isEqualTo(1);
        assertThat(notifications("slack", "sent")).isEqualTo(1);
        assertThat(notifications("slack", "duplicate")).isEqualTo(1);
    }

    private double notifications(String channel, String outcome) {
        var counter =
                metrics.find("dumpflow.notifications")
                        .tag("channel", channel)
                        .tag("outcome", outcome)
                        .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theClaimOfACrashedReplicaIsIgnoredOnceItsLeaseRanOut() {
        RecordingChannel slack = new RecordingChannel("slack");
        String event = "/dumpflow/index " + UUID.randomUUID();
        long longAgo = System.currentTimeMillis() - LEASE.toMillis() - 60_000;
        putClaim(slack, event, longAgo);

        replica(List.of(slack), Duration.ofMillis(500)).deliver(event, message());

        assertThat(slack.sent).hasSize(1);
    }

    @Test
    void aLiveClaimOfAnotherReplicaMakesACopyWaitThenAskForARetry() {
        RecordingChannel slack = new RecordingChannel("slack");
        String event = "/dumpflow/index " + UUID.randomUUID();
        putClaim(slack, event, System.currentTimeMillis());

        assertThatThrownBy(
                        () ->
                                replica(List.of(slack), Duration.ofMillis(500))
                                        .deliver(event, message()))
                .isInstanceOfSatisfying(
                        FunctionFailure.class, f -> assertThat(f.kind().retryable()).isTrue());
        assertThat(slack.sent).isEmpty();
    }

    /** What a replica that crashed while sending leaves behind: its claim, with its clock. */
    private void putClaim(Channel channel, String event, long millis) {
        String prefix = StorageLayout.markerPrefix("notify-" + channel.name(), sha256(event));
        client().putObject(
                        b -> b.bucket(S3ProxyResource.BUCKET).key(prefix + "claim-1"),
                        RequestBody.fromString(millis + " " + UUID.randomUUID()));
    }

    private Notifier replica(List<Channel> channels) {
        return replica(channels, Duration.ofSeconds(30));
    }

    private Notifier replica(List<Channel> channels, Duration maxWait) {
        return new Notifier(
                channels,
                new OnceMarkers(
                        client(),
                        S3ProxyResource.BUCKET,
                        LEASE,
                        maxWait,
                        Clock.systemUTC(),
                        () -> {}),
                metrics);
    }

    private S3Client client() {
        S3Client client =
                S3Client.builder()
                        .endpointOverride(URI.create(s3proxy.endpoint()))
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                S3ProxyResource.ACCESS_KEY,
                                                S3ProxyResource.SECRET_KEY)))
                        .httpClient(ApacheHttpClient.create())
                        .build();
        clients.add(client);
        return client;
    }

    private static Notification message() {
        return new Notification(
                "dumpId=d-1",
                Notification.Severity.INFO,
                "Dump stored",
                List.of(),
                List.of(),
                null,
                List.of());
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A channel of this process that records what it was asked to send, shared by both replicas as
     * one Slack workspace would be. It takes a while per message, like a real post, so that
     * concurrent copies overlap.
     */
    private static final class RecordingChannel implements Channel {
        final List<Notification> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        private final String name;

        RecordingChannel(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void send(Notification notification) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw FunctionFailure.unavailable(name + " is down for now", null);
            }
            sent.add(notification);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
