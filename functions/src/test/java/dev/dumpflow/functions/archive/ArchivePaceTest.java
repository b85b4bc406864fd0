package dev.dumpflow.functions.archive;

import static dev.dumpflow.functions.archive.ArchiveRequests.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archive against sidecars that send too slowly, not at all, or slowly but fast enough, with a
 * minimum rate of 128 KiB/s over a 2 s window: what is cut is answered 503 (the Broker delivers it
 * again), counted, and leaves the dump on the sidecar; what keeps the pace is stored.
 */
@QuarkusTest
@TestProfile(ArchivePaceTest.ShortWindow.class)
class ArchivePaceTest {

    /** A window short enough for a test, and a read timeout past it. */
    public static class ShortWindow implements QuarkusTestProfile {
        static final Duration WINDOW = Duration.ofSeconds(2);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "dumpflow.fetch.min-rate", "128K",
                    "dumpflow.fetch.min-rate-window", WINDOW.toSeconds() + "s",
                    "dumpflow.fetch.timeout", "3s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyResource.class));
        }
    }

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final String SLOW = "dumpflow_archive_transfers_cut_total{reason=\"slow\"}";
    private static final String TOO_LONG =
            "dumpflow_archive_transfers_cut_total{reason=\"too-long\"}";
    private static final String FAILED = "dumpflow_archives_total{outcome=\"failed\"}";

    /** Long past what a cut takes (a window and a read timeout), short of what a trickle takes. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    private static SidecarStandIn sidecar;

    @Inject S3Client s3;
    @Inject ObjectMapper mapper;

    @BeforeAll
    static void startSidecar() throws Exception {
        sidecar = SidecarStandIn.start();
    }

    @AfterAll
    static void stopSidecar() {
        sidecar.close();
    }

    @Test
    void aTricklingSidecarIsCutAnsweredRetryableAndCounted() throws Exception {
        // One byte every 50 ms: 1 MB would take 14 hours, and each byte resets the read timeout.
        DumpClosed closed = served(1_000_000, 31);
        sidecar.pace(closed.dumpId(), 1, Duration.ofMillis(50));
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response response = post(closed);

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(delta(before, after, SLOW)).isEqualTo(1);
        assertThat(delta(before, after, FAILED)).isEqualTo(1);
        assertStaysOnTheSidecar(closed);
    }

    @Test
    void aStalledSidecarIsCutWithoutAResume() throws Exception {
        // Status and headers, then nothing: the read times out, and the cut comes before a Range
        // request would give the sidecar a new connection and its slot for longer.
        DumpClosed closed = served(1_000_000, 32);
        sidecar.pace(closed.dumpId(), 0, Duration.ZERO);
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response response = post(closed);

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(sidecar.requests())
                .filteredOn(r -> r.contains(closed.dumpId()))
                .containsExactly("GET /dumps/" + closed.dumpId());
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(delta(before, after, SLOW)).isEqualTo(1);
        assertStaysOnTheSidecar(closed);
    }

    @Test
    void aSlowSidecarAboveTheMinimumRateIsStored() throws Exception {
        // 64 KiB every 62 ms, about 1 MiB/s, eight times the minimum: 5 MB take two windows and
        // more.
        DumpClosed closed = served(5_000_000, 33);
        sidecar.pace(closed.dumpId(), 64 * 1024, Duration.ofMillis(62));
        ScrapedMetrics before = ScrapedMetrics.scrape();

        Response response = post(closed);

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        DumpArchived archived = mapper.readValue(response.asString(), DumpArchived.class);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(archived.key())).contentLength())
                .isEqualTo(archived.storedBytes());
        assertThat(after.text()).as("both reasons are reported, at 0").contains(SLOW, TOO_LONG);
        assertThat(delta(before, after, SLOW)).isZero();
        assertThat(delta(before, after, TOO_LONG)).isZero();
        assertThat(sidecar.holds(closed.dumpId())).as("deleted once stored").isFalse();
    }

    private DumpClosed served(long size, long seed) {
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, TOKEN, DumpContent.generated(size, seed));
        return ArchiveRequests.closed(dumpId, size, sidecar.url(dumpId), TOKEN);
    }

    /** Posts as the Broker does; an answer that does not come in time fails the test. */
    private Response post(DumpClosed closed) throws Exception {
        ArchiveRequests requests = new ArchiveRequests(mapper);
        return CompletableFuture.supplyAsync(() -> requests.postBinary(closed))
                .get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    private void assertStaysOnTheSidecar(DumpClosed closed) {
        assertThat(sidecar.holds(closed.dumpId())).as("the dump stays on the sidecar").isTrue();
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/"))
                .noneMatch(o -> o.key().contains(closed.dumpId()));
        assertThat(ArchiveRequests.objects(s3, BUCKET, StorageLayout.byIdKey(closed.dumpId())))
                .as("no record")
                .isEmpty();
        assertThat(ArchiveRequests.uploads(s3, BUCKET))
                .as("the multipart upload was aborted")
                .noneMatch(u -> u.key().contains(closed.dumpId()));
    }

    private static double delta(ScrapedMetrics before, ScrapedMetrics after, String sample) {
        return after.value(sample) - before.value(sample);
    }
}
