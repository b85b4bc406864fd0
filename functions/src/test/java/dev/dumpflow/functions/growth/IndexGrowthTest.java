package dev.dumpflow.functions.growth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.DumpIndexed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Growth;
import dev.dumpflow.events.Growth.ClassGrowth;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.FullStackProfile;
import dev.dumpflow.functions.ScrapedMetrics;
import dev.dumpflow.functions.records.RecordedDumps;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The index function compares a dump with the earlier dumps of its workload, through the index's
 * own prefixes and the histograms the archive stores, against S3Proxy. Each test has a namespace of
 * its own, so that nothing another test indexed is an earlier dump of its workloads.
 */
@QuarkusTest
@TestProfile(FullStackProfile.class)
class IndexGrowthTest {

    private static final Instant T = Samples.CLOSED_AT;

    @Inject S3Client s3;
    @Inject ObjectMapper json;
    @Inject ClassHistograms histograms;

    private String namespace;

    @BeforeEach
    void ownNamespace() {
        namespace = "growth-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void comparesEachDumpWithTheNewestEarlierOneOfItsWorkloadAndMarksClassesGrownAtEveryStep()
            throws Exception {
        PodIdentity podA = pod("ledger-7d9f-a", "ledger");
        PodIdentity podB = pod("ledger-7d9f-b", "ledger");
        ClassHistogram first =
                histogram(
                        Map.of("leak.Entry", 100L, "cache.Page", 10L, "byte[]", 5L),
                        Map.of("leak.Entry", 2_400L, "cache.Page", 10_000L, "byte[]", 5_000L));
        ClassHistogram second =
                histogram(
                        Map.of("leak.Entry", 200L, "cache.Page", 5L, "byte[]", 5L),
                        Map.of("leak.Entry", 4_800L, "cache.Page", 5_000L, "byte[]", 5_000L));
        ClassHistogram third =
                histogram(
                        Map.of("leak.Entry", 300L, "cache.Page", 20L, "byte[]", 6L),
                        Map.of("leak.Entry", 7_200L, "cache.Page", 20_000L, "byte[]", 6_000L));

        IndexRecord one = index("d1", podA, T.minus(Duration.ofHours(5)), first).record();
        IndexRecord two = index("d2", podB, T.minus(Duration.ofHours(2)), second).record();
        DumpIndexed three = index("d3", podA, T, third);

        assertThat(one.growth()).isNull();
        assertThat(two.growth())
                .isEqualTo(
                        new Growth(
                                one.dumpId(),
                                one.closedAt(),
                                Duration.ofHours(3),
                                List.of(new ClassGrowth("leak.Entry", 100, 2_400, false))));
        assertThat(three.record().growth())
                .isEqualTo(
                        new Growth(
                                two.dumpId(),
                                two.closedAt(),
                                Duration.ofHours(2),
                                List.of(
                                        new ClassGrowth("cache.Page", 15, 15_000, false),
                                        new ClassGrowth("leak.Entry", 100, 2_400, true),
                                        new ClassGrowth("byte[]", 1, 1_000, false))));
        IndexRecord stored =
                json.readValue(
                        s3.getObjectAsBytes(
                                        b -> b.bucket(S3ProxyResource.BUCKET).key(three.indexKey()))
                                .asByteArray(),
                        IndexRecord.class);
        assertThat(stored.growth()).isEqualTo(three.record().growth());
    }

    @Test
    void leavesOutOtherWorkloadsOtherContainersLaterDumpsAndHistogramsOfAnotherDump()
            throws Exception {
        PodIdentity ledger = pod("ledger-7d9f-a", "ledger");
        ClassHistogram small = histogram(Map.of("leak.Entry", 1L), Map.of("leak.Entry", 24L));
        ClassHistogram big = histogram(Map.of("leak.Entry", 10L), Map.of("leak.Entry", 240L));
        IndexRecord chosen = index("chosen", ledger, T.minus(Duration.ofHours(3)), small).record();
        index("other-workload", pod("billing-5c-x", "billing"), T.minusSeconds(60), small);
        index("other-container", inContainer(ledger, "worker"), T.minusSeconds(60), small);
        index("later", ledger, T.plusSeconds(60), small);
        String forged = "forged-" + namespace;
        index(forged, ledger, T.minusSeconds(30), small);
        // What the index would read for that dump is another dump's histogram.
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(StorageLayout.histogramKey(forged)),
                RequestBody.fromString(
                        "{\"dumpId\":\"%s\",\"sha256\":\"%s\",\"classes\":[]}"
                                .formatted(forged, sha256("someone else")),
                        StandardCharsets.UTF_8));

        Growth growth = index("now", ledger, T, big).record().growth();

        assertThat(growth.previousDumpId()).isEqualTo(chosen.dumpId());
        assertThat(growth.classes()).containsExactly(new ClassGrowth("leak.Entry", 9, 216, false));
    }

    @Test
    void anEarlierDumpJustOutsideTheLookBackIsNotCompared() throws Exception {
        PodIdentity ledger = pod("ledger-7d9f-a", "ledger");
        ClassHistogram h = histogram(Map.of("byte[]", 1L), Map.of("byte[]", 24L));
        // The same date partition as the window's first instant, a minute before it.
        index("old", ledger, T.minus(Duration.ofDays(7)).minusSeconds(60), h);
        double first = ScrapedMetrics.scrape().value("dumpflow_growth_total{outcome=\"first\"}");

        assertThat(index("now", ledger, T, h).record().growth()).isNull();
        assertThat(ScrapedMetrics.scrape().value("dumpflow_growth_total{outcome=\"first\"}"))
                .isEqualTo(first + 1);

        PodIdentity journal = pod("journal-5c-a", "journal");
        IndexRecord inside =
                index("inside", journal, T.minus(Duration.ofDays(7)).plusSeconds(60), h).record();
        assertThat(index("then", journal, T, h).record().growth().previousDumpId())
                .isEqualTo(inside.dumpId());
    }

    @Test
    void podsWithoutAKnownWorkloadAreComparedOnlyWithTheirOwnPod() throws Exception {
        ClassHistogram h = histogram(Map.of("byte[]", 1L), Map.of("byte[]", 24L));
        ClassHistogram bigger = histogram(Map.of("byte[]", 2L), Map.of("byte[]", 48L));
        IndexRecord own = index("own", pod("lonely-a", null), T.minusSeconds(7_200), h).record();
        index("neighbour", pod("lonely-b", null), T.minusSeconds(60), h);

        Growth growth = index("now", pod("lonely-a", null), T, bigger).record().growth();

        assertThat(growth.previousDumpId()).isEqualTo(own.dumpId());
        assertThat(growth.interval()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aDumpWithoutAHistogramGetsNoGrowth() throws Exception {
        PodIdentity ledger = pod("ledger-7d9f-a", "ledger");
        ClassHistogram h = histogram(Map.of("byte[]", 1L), Map.of("byte[]", 24L));
        index("before", ledger, T.minusSeconds(600), h);
        double none =
                ScrapedMetrics.scrape().value("dumpflow_growth_total{outcome=\"no-histogram\"}");

        assertThat(index("now", ledger, T, null).record().growth()).isNull();
        assertThat(ScrapedMetrics.scrape().value("dumpflow_growth_total{outcome=\"no-histogram\"}"))
                .isEqualTo(none + 1);
    }

    /**
     * Stores what the archive would have (the histogram, unless null, and the record) and posts the
     * dump's {@code dump.archived} to the index function.
     */
    private DumpIndexed index(String name, PodIdentity pod, Instant closedAt, ClassHistogram h)
            throws Exception {
        String dumpId = name.startsWith("forged-") ? name : name + "-" + namespace;
        String sha = sha256(dumpId);
        DumpArchived archived =
                new DumpArchived(
                        dumpId,
                        "java_pid1.hprof",
                        closedAt,
                        DumpFormat.HPROF,
                        DumpCause.THRESHOLD,
                        1L,
                        S3ProxyResource.BUCKET,
                        StorageLayout.dumpKey(pod, dumpId, DumpFormat.HPROF, closedAt),
                        "zstd",
                        1_000,
                        100,
                        sha,
                        10,
                        closedAt.plusSeconds(5),
                        Samples.heapSummary(),
                        pod);
        if (h != null) {
            histograms.create(dumpId, sha, h);
        }
        RecordedDumps.record(s3, json, archived);
        Response reply =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", "growth-" + dumpId)
                        .header("ce-type", EventTypes.DUMP_ARCHIVED)
                        .header("ce-source", "/dumpflow/archive")
                        .header("ce-subject", dumpId)
                        .header("ce-dumpid", dumpId)
                        .body(json.writeValueAsBytes(archived))
                        .post("/");
        assertThat(reply.statusCode()).as(reply.asString()).isEqualTo(200);
        return json.readValue(reply.asByteArray(), DumpIndexed.class);
    }

    private PodIdentity pod(String name, String deployment) {
        return new PodIdentity(
                namespace,
                name,
                UUID.randomUUID().toString(),
                "node-a",
                "app",
                deployment == null ? null : new PodIdentity.Workload("Deployment", deployment),
                Map.of());
    }

    private static PodIdentity inContainer(PodIdentity pod, String container) {
        return new PodIdentity(
                pod.namespace(),
                pod.name(),
                pod.uid(),
                pod.node(),
                container,
                pod.workload(),
                pod.labels());
    }

    private static ClassHistogram histogram(Map<String, Long> instances, Map<String, Long> bytes) {
        return ClassHistogram.of(
                instances.entrySet().stream()
                        .map(e -> new ClassStat(e.getKey(), e.getValue(), bytes.get(e.getKey())))
                        .toList());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
