package dev.dumpflow.events;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid example of every payload, for tests in every module. */
public final class Samples {

    public static final Instant CLOSED_AT = Instant.parse("2026-11-22T03:49:12Z");
    public static final String SHA256 =
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** The SHA-256 of {@link #dumpArchivedRedacted}'s dump as the sidecar served it. */
    public static final String ORIGINAL_SHA256 =
            "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    private Samples() {}

    public static PodIdentity pod() {
        return new PodIdentity(
                "shop",
                "checkout-7d9f8b6c5-x2x9q",
                "3c1e0f0a-1111-4222-8333-944455556666",
                "node-a",
                "app",
                null,
                Map.of("app", "checkout", "dumpflow.dev/enabled", "true"));
    }

    public static MemoryThresholdCrossed thresholdCrossed() {
        return new MemoryThresholdCrossed(
                42,
                "java -Xmx1g -jar checkout.jar",
                ProcessRuntime.JVM,
                1_100_000_000L,
                2_147_483_648L,
                1_073_741_824L,
                "1Gi,x2",
                2_147_483_648L,
                null,
                pod());
    }

    public static DumpClosed dumpClosed() {
        return new DumpClosed(
                "20261122T034912Z-7f3a9c01",
                "java_pid42.hprof",
                123_456_789L,
                CLOSED_AT,
                DumpFormat.HPROF,
                DumpCause.OOM,
                42L,
                new FetchLocation(
                        URI.create("http://10.1.2.3:8787/dumps/20261122T034912Z-7f3a9c01"),
                        "c2VjcmV0LXRva2VuLWZvci10aGlzLWR1bXAtb25seQ",
                        CLOSED_AT.plusSeconds(3600)),
                pod());
    }

    public static HeapSummary heapSummary() {
        return new HeapSummary(
                false,
                null,
                1_000_000,
                64_000_000,
                2_345,
                List.of(
                        new HeapSummary.ClassStat("byte[]", 400_000, 40_000_000),
                        new HeapSummary.ClassStat("java.lang.String", 300_000, 7_200_000)),
                List.of(new HeapSummary.ArrayStat("byte[]", 10_485_760, 10_485_776)),
                Map.of("java-frame", 120L, "system-class", 2_000L),
                new HeapSummary.HeapLayout(8, 4, 12, 16, 8, true));
    }

    public static DumpArchived dumpArchived() {
        DumpClosed closed = dumpClosed();
        return new DumpArchived(
                closed.dumpId(),
                closed.fileName(),
                closed.closedAt(),
                closed.format(),
                closed.cause(),
                closed.pid(),
                "dumpflow-dumps",
                StorageLayout.dumpKey(closed.pod(), closed.dumpId(), closed.format(), CLOSED_AT),
                "zstd",
                closed.sizeBytes(),
                12_345_678L,
                SHA256,
                1_234,
                CLOSED_AT.plusSeconds(5),
                heapSummary(),
                closed.pod());
    }

    /** {@link #dumpArchived()} as stored redacted under {@code strings}. */
    public static DumpArchived dumpArchivedRedacted(boolean originalKept) {
        DumpArchived a = dumpArchived();
        return new DumpArchived(
                a.dumpId(),
                a.fileName(),
                a.closedAt(),
                a.format(),
                a.cause(),
                a.pid(),
                a.bucket(),
                a.key(),
                a.codec(),
                a.rawBytes(),
                a.storedBytes(),
                a.sha256(),
                a.durationMs(),
                a.archivedAt(),
                a.analysis(),
                a.pod(),
                new Redaction("strings", ORIGINAL_SHA256, originalKept));
    }

    public static IndexRecord indexRecord() {
        return IndexRecord.from(dumpArchived())
                .withKubernetes(
                        new KubernetesContext(
                                new PodIdentity.Workload("Deployment", "checkout"),
                                "registry.example/checkout:1.4.2",
                                3,
                                "OOMKilled",
                                CLOSED_AT.minusSeconds(600),
                                List.of(
                                        new KubernetesContext.PodEvent(
                                                "Warning",
                                                "BackOff",
                                                "Back-off restarting failed container",
                                                4,
                                                CLOSED_AT.minusSeconds(60)))));
    }

    /** Growth since a dump two hours earlier, with one class that grew at every step. */
    public static Growth growth() {
        return new Growth(
                "20261122T014912Z-1b2c3d4e",
                CLOSED_AT.minusSeconds(7_200),
                java.time.Duration.ofHours(2),
                List.of(
                        new Growth.ClassGrowth("byte[]", 310_000, 1_288_490_189, true),
                        new Growth.ClassGrowth(
                                "java.util.HashMap$Node", 3_100_000, 99_200_000, false),
                        new Growth.ClassGrowth("long[]", -2, 4_096, false)));
    }

    /** {@link #dumpIndexed()} whose record carries {@link #growth()}. */
    public static DumpIndexed dumpIndexedWithGrowth() {
        IndexRecord record = indexRecord().withGrowth(growth());
        return new DumpIndexed(record.dumpId(), StorageLayout.indexKey(record), record);
    }

    public static DumpIndexed dumpIndexed() {
        IndexRecord record = indexRecord();
        return new DumpIndexed(record.dumpId(), StorageLayout.indexKey(record), record);
    }

    public static DumpFailed dumpFailed() {
        DumpClosed closed = dumpClosed();
        return new DumpFailed(
                closed.dumpId(),
                "archive",
                FailureCode.DEAD_LETTERED,
                "S3 answered 503 Service Unavailable on every attempt",
                EventTypes.DUMP_CLOSED,
                closed.fetch().url(),
                closed.pod());
    }

    /** When the sample container was OOM-killed: ten minutes after the sample dump closed. */
    public static final Instant KILLED_AT = CLOSED_AT.plusSeconds(600);

    /** The kill of the sample pod's container, with the sample dump as the evidence. */
    public static ContainerOomKilled containerOomKilled() {
        long limit = 512L * 1024 * 1024;
        long heap = 400L * 1024 * 1024;
        return new ContainerOomKilled(
                pod().withWorkload(new PodIdentity.Workload("Deployment", "checkout")),
                "app",
                limit,
                137,
                KILLED_AT,
                new ContainerOomKilled.LastDump(
                        dumpClosed().dumpId(), DumpCause.THRESHOLD, CLOSED_AT, 600),
                new ContainerOomKilled.LastThreshold(
                        1_100_000_000L, 1_073_741_824L, CLOSED_AT.minusSeconds(5)),
                new ContainerOomKilled.Verdict(
                        ContainerOomKilled.Verdict.Kind.HEAP,
                        heap,
                        limit,
                        "The Java heap filled the container."));
    }

    /** The sample payload of each type. */
    public static Map<String, Object> byType() {
        return Map.of(
                EventTypes.MEMORY_THRESHOLD_CROSSED, thresholdCrossed(),
                EventTypes.DUMP_CLOSED, dumpClosed(),
                EventTypes.DUMP_ARCHIVED, dumpArchived(),
                EventTypes.DUMP_INDEXED, dumpIndexed(),
                EventTypes.DUMP_FAILED, dumpFailed(),
                EventTypes.CONTAINER_OOMKILLED, containerOomKilled());
    }
}
