package dev.dumpflow.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where dumps and index records live in the bucket. Keys derive from the dumpId only, so a retried
 * or duplicated event rewrites the same keys and never makes a second copy.
 *
 * <p>The prefixes are the single source for the lifecycle rules and IAM policies in {@code
 * terraform/}; a test fails if the two drift apart.
 */
public final class StorageLayout {

    /** Prefix of every stored dump. */
    public static final String DUMPS_PREFIX = "dumps/";

    /** Prefix of every index record. */
    public static final String INDEX_PREFIX = "index/";

    /**
     * Prefix of the markers that make a step happen once across function replicas (see {@link
     * #markerPrefix}). It sits under {@link #INDEX_PREFIX}, so the index's lifecycle rule expires
     * the markers and the functions' grant on index objects covers them; its leading {@code _}
     * makes Athena and Hive skip it, and no marker key ends in {@code .json}.
     */
    public static final String MARKERS_PREFIX = INDEX_PREFIX + "_markers/";

    /**
     * Prefix of the records the archive creates once per dump, {@code {dumpId}.json}: the {@code
     * dump.archived} data as stored (bucket, key, SHA-256, sizes, verified pod identity). Index and
     * notify take their facts from here, never from an event. Under {@link #INDEX_PREFIX}, so the
     * index's IAM grant and lifecycle rule cover it; the leading {@code _} hides it from Hive-style
     * readers.
     */
    public static final String BY_ID_PREFIX = INDEX_PREFIX + "_by-id/";

    /**
     * Prefix of the full class histograms, {@code {dumpId}.json}, which the archive creates once
     * per HPROF dump from its analysis and the index reads to compute {@link Growth} between dumps
     * of a workload. The index record keeps only the top classes; growth needs every class. Under
     * {@link #INDEX_PREFIX}, so the index's IAM grant and lifecycle rule cover it; the leading
     * {@code _} hides it from Hive-style readers.
     */
    public static final String HISTOGRAMS_PREFIX = INDEX_PREFIX + "_histograms/";

    /**
     * Prefix of the memory threshold crossings notify keeps, one object per crossing under a folder
     * per pod ({@link #thresholdsPrefix}), for the verdict on a later OOM kill. Under {@link
     * #INDEX_PREFIX}, so the index's IAM grant and lifecycle rule cover it; the leading {@code _}
     * hides it from Hive-style readers.
     */
    public static final String THRESHOLDS_PREFIX = INDEX_PREFIX + "_thresholds/";

    /**
     * Prefix of the download gate's audit trail: one object per decision, created once and never
     * replaced or deleted by dumpflow ({@link #auditKey}). Its own prefix, outside {@link
     * #INDEX_PREFIX}, so that it has its own lifecycle rule and its own IAM grant (put, no delete).
     */
    public static final String AUDIT_PREFIX = "audit/";

    /**
     * Prefix of the originals kept for a short time under a redaction policy ({@link #rawKey}),
     * when {@code dumpflow.redaction.keep-original} is set. Its own prefix, outside {@link
     * #DUMPS_PREFIX}, so that it has its own short lifecycle rule and its own IAM: the functions
     * may only put there, and only a break-glass role may read.
     */
    public static final String RAW_PREFIX = "raw/";

    /** Used in keys when the owning workload is not known. */
    public static final String UNKNOWN_WORKLOAD = "_unknown";

    /**
     * The time in a threshold key: UTC to the millisecond, fixed width, so that the keys of a pod
     * list in the order of their crossings.
     */
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private StorageLayout() {}

    /**
     * {@code dumps/{namespace}/{workload}/{yyyy}/{mm}/{dd}/{dumpId}.{format}.zst}, dated by the
     * dump's close in UTC.
     */
    public static String dumpKey(
            PodIdentity pod, String dumpId, DumpFormat format, Instant closedAt) {
        LocalDate date = LocalDate.ofInstant(closedAt, ZoneOffset.UTC);
        return "%s%s/%s/%04d/%02d/%02d/%s.%s.zst"
                .formatted(
                        DUMPS_PREFIX,
                        segment(pod.namespace()),
                        workload(pod),
                        date.getYear(),
                        date.getMonthValue(),
                        date.getDayOfMonth(),
                        Checks.dumpId(dumpId),
                        format.wire());
    }

    /**
     * {@code raw/{namespace}/{workload}/{yyyy}/{mm}/{dd}/{dumpId}.{format}.zst}: the original of a
     * redacted dump, at the path its {@link #dumpKey} has under {@code dumps/}, with the format as
     * fetched ({@code hprof-gz} stays {@code hprof-gz}).
     */
    public static String rawKey(
            PodIdentity pod, String dumpId, DumpFormat format, Instant closedAt) {
        return RAW_PREFIX + dumpKey(pod, dumpId, format, closedAt).substring(DUMPS_PREFIX.length());
    }

    /**
     * {@code index/namespace={ns}/workload={wl}/date={yyyy-mm-dd}/{dumpId}.json}, Hive-style, dated
     * by the dump's close in UTC.
     */
    public static String indexKey(IndexRecord record) {
        LocalDate date = LocalDate.ofInstant(record.closedAt(), ZoneOffset.UTC);
        return indexDayPrefix(record.pod(), date) + Checks.dumpId(record.dumpId()) + ".json";
    }

    /**
     * {@code index/namespace={ns}/workload={wl}/date={yyyy-mm-dd}/}: the folder of the index
     * records of the pod's workload (all pods without a known workload share {@link
     * #UNKNOWN_WORKLOAD}) whose dumps closed on {@code date}, in UTC.
     */
    public static String indexDayPrefix(PodIdentity pod, LocalDate date) {
        return "%snamespace=%s/workload=%s/date=%s/"
                .formatted(INDEX_PREFIX, segment(pod.namespace()), workload(pod), date);
    }

    /** {@code index/_histograms/{dumpId}.json}: the full class histogram of an HPROF dump. */
    public static String histogramKey(String dumpId) {
        return HISTOGRAMS_PREFIX + Checks.dumpId(dumpId) + ".json";
    }

    /** {@code index/_thresholds/namespace={ns}/pod={pod}/}: the crossings kept of one pod. */
    public static String thresholdsPrefix(String namespace, String pod) {
        return "%snamespace=%s/pod=%s/"
                .formatted(
                        THRESHOLDS_PREFIX,
                        segment(Checks.nonBlank(namespace, "namespace")),
                        segment(Checks.nonBlank(pod, "pod")));
    }

    /**
     * {@code index/_thresholds/namespace={ns}/pod={pod}/{yyyyMMddTHHmmssSSSZ}-{event}.json}: one
     * crossing, named by its time and by its event, so that a re-delivered event finds the same key
     * and two crossings in the same millisecond do not share one.
     *
     * @param event a short, key-safe name of the event, such as a hash of its source and id
     */
    public static String thresholdKey(String namespace, String pod, Instant at, String event) {
        return thresholdsPrefix(namespace, pod)
                + STAMP.format(at)
                + "-"
                + segment(Checks.nonBlank(event, "event"))
                + ".json";
    }

    /** The time of a crossing, read from its {@link #thresholdKey}; empty for any other key. */
    public static Optional<Instant> thresholdTime(String key) {
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        int dash = name.indexOf('-');
        if (!key.startsWith(THRESHOLDS_PREFIX) || dash < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(name.substring(0, dash))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code audit/date={yyyy-mm-dd}/{yyyyMMddTHHmmssSSSZ}-{nonce}.json}: one audit decision, dated
     * in UTC, named by its time and a random nonce so that two decisions in one millisecond do not
     * share a key.
     *
     * @param nonce a short, key-safe random name
     */
    public static String auditKey(Instant at, String nonce) {
        return "%sdate=%s/%s-%s.json"
                .formatted(
                        AUDIT_PREFIX,
                        LocalDate.ofInstant(at, ZoneOffset.UTC),
                        STAMP.format(at),
                        segment(Checks.nonBlank(nonce, "nonce")));
    }

    /**
     * {@code index/namespace={ns}/}, or {@code index/namespace={ns}/workload={wl}/} when a workload
     * is given: the folder of the index records of a namespace or of one of its workloads.
     */
    public static String indexListPrefix(String namespace, Optional<String> workload) {
        String ns =
                "%snamespace=%s/"
                        .formatted(INDEX_PREFIX, segment(Checks.nonBlank(namespace, "namespace")));
        return workload.map(w -> ns + "workload=" + segment(w) + "/").orElse(ns);
    }

    /** {@code index/_by-id/{dumpId}.json}: what the archive stored for this dump. */
    public static String byIdKey(String dumpId) {
        return BY_ID_PREFIX + Checks.dumpId(dumpId) + ".json";
    }

    /**
     * {@code index/_markers/{step}/{name}/}: the folder of the markers of one step done once, for
     * example {@code notify-slack} and a hash of the event it notifies.
     */
    public static String markerPrefix(String step, String name) {
        Checks.nonBlank(step, "step");
        Checks.nonBlank(name, "name");
        return MARKERS_PREFIX + segment(step) + "/" + segment(name) + "/";
    }

    private static String workload(PodIdentity pod) {
        return pod.workload() == null ? UNKNOWN_WORKLOAD : segment(pod.workload().name());
    }

    /**
     * Kubernetes names are DNS labels already; this keeps a hostile value from adding levels or
     * from reading as {@code ..} to a tool that normalises paths.
     */
    private static String segment(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.startsWith(".") ? "_" + safe : safe;
    }
}
