package dev.dumpflow.functions.growth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds the earlier dumps of a dump's workload through the index's own layout: the index records
 * under {@code index/namespace={ns}/workload={wl}/date={day}/}, listed one day of the look-back at
 * a time, newest day first, so that the listing stays within the window and stops as soon as the
 * caller has what it needs.
 *
 * <p>Same workload means the same namespace and workload, and the same container (one workload may
 * run different programs in its containers); pods without a known workload share a partition, so
 * for them it means the same pod. Only dumps with a complete analysis count: the others have no
 * histogram.
 */
@ApplicationScoped
class EarlierDumps {

    private static final Logger LOG = Logger.getLogger(EarlierDumps.class);
    private static final String RECORD_SUFFIX = ".json";

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    EarlierDumps(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * The index records of the workload's dumps closed before {@code current} and no more than
     * {@code lookBack} before it, newest first. Lazy: a day is listed and its records read only
     * when the stream gets to it.
     *
     * @throws FunctionFailure unavailable, from the stream, when S3 cannot answer
     */
    Stream<IndexRecord> newestFirst(IndexRecord current, Duration lookBack) {
        Instant until = current.closedAt();
        Instant from = until.minus(lookBack);
        LocalDate newest = LocalDate.ofInstant(until, ZoneOffset.UTC);
        LocalDate oldest = LocalDate.ofInstant(from, ZoneOffset.UTC);
        return Stream.iterate(newest, day -> !day.isBefore(oldest), day -> day.minusDays(1))
                .flatMap(day -> ofDay(current, day, from).stream());
    }

    /** The day's records of the workload that count, newest first. */
    private List<IndexRecord> ofDay(IndexRecord current, LocalDate day, Instant from) {
        String prefix = StorageLayout.indexDayPrefix(current.pod(), day);
        String context = "dumpId=" + current.dumpId();
        List<IndexRecord> found = new ArrayList<>();
        for (String key : keys(prefix, context)) {
            String name = key.substring(prefix.length());
            if (name.contains("/")
                    || !name.endsWith(RECORD_SUFFIX)
                    || name.equals(current.dumpId() + RECORD_SUFFIX)) {
                continue;
            }
            IndexRecord earlier = read(key, context);
            if (earlier != null
                    && earlier.closedAt().isBefore(current.closedAt())
                    && !earlier.closedAt().isBefore(from)
                    && sameWorkload(current.pod(), earlier.pod())
                    && earlier.analysis() != null
                    && !earlier.analysis().truncated()) {
                found.add(earlier);
            }
        }
        found.sort(
                Comparator.comparing(IndexRecord::closedAt)
                        .thenComparing(IndexRecord::dumpId)
                        .reversed());
        return found;
    }

    private static boolean sameWorkload(PodIdentity current, PodIdentity earlier) {
        boolean samePlace =
                current.workload() == null
                        ? earlier.workload() == null && current.name().equals(earlier.name())
                        : Objects.equals(current.workload(), earlier.workload());
        return samePlace
                && current.namespace().equals(earlier.namespace())
                && current.container().equals(earlier.container());
    }

    private List<String> keys(String prefix, String context) {
        try {
            return s3
                    .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents()
                    .stream()
                    .map(S3Object::key)
                    .toList();
        } catch (SdkException e) {
            throw FunctionFailure.unavailable(
                    "%s: S3 could not list the earlier dumps under %s: %s"
                            .formatted(context, prefix, e.getMessage()),
                    e);
        }
    }

    /** The record at {@code key}; null when it went or is not an index record. */
    private IndexRecord read(String key, String context) {
        Optional<byte[]> stored = StoredObjects.read(s3, bucket, key);
        if (stored.isEmpty()) {
            return null; // never written, or expired
        }
        byte[] body = stored.get();
        try {
            return json.readValue(body, IndexRecord.class);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: %s is no index record (%s); left out of growth", context, key, e);
            return null;
        }
    }
}
