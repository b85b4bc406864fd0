package dev.dumpflow.functions.oom;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds a pod's last dump before an OOM kill through the index's own layout: the records of a
 * workload's dumps sit in one folder per UTC day ({@link StorageLayout#indexDayPrefix}), so the
 * search lists the folder of the kill's day, then the days before it, back to the pod's creation or
 * the look-back, and stops at the first day that holds a dump of the pod. A day's records name
 * their pod only inside, so each record of the day is read; the workload's folder keeps other
 * workloads' dumps out of the way.
 */
@ApplicationScoped
class LastDumps {

    private static final Logger LOG = Logger.getLogger(LastDumps.class);

    /** Records read at most for one kill: a workload dumping more often than this is in trouble. */
    private static final int MAX_READS = 200;

    /** Pages of 1,000 keys listed at most for one day of one workload. */
    private static final int MAX_PAGES = 10;

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    LastDumps(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * The index record of the last dump of {@code pod}'s container closed between {@code from} and
     * {@code killedAt}, both included.
     *
     * @param pod the pod, with its workload as the API shows it, and the killed container
     * @throws FunctionFailure unavailable when S3 cannot answer
     */
    Optional<IndexRecord> before(PodIdentity pod, Instant from, Instant killedAt) {
        String context = "pod=%s/%s".formatted(pod.namespace(), pod.name());
        LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
        int reads = 0;
        for (LocalDate day = LocalDate.ofInstant(killedAt, ZoneOffset.UTC);
                !day.isBefore(first);
                day = day.minusDays(1)) {
            List<String> keys = keys(StorageLayout.indexDayPrefix(pod, day));
            // dumpIds begin with their UTC time, so the newest are read first when reads run out.
            keys.sort(Comparator.reverseOrder());
            IndexRecord last = null;
            for (String key : keys) {
                if (reads++ == MAX_READS) {
                    LOG.warnf(
                            "%s: %d index records read looking for the last dump; looked no"
                                    + " further",
                            context, MAX_READS);
                    return Optional.ofNullable(last);
                }
                Optional<IndexRecord> record = read(key);
                if (record.isPresent()
                        && ofPod(record.get(), pod)
                        && !record.get().closedAt().isBefore(from)
                        && !record.get().closedAt().isAfter(killedAt)
                        && (last == null || record.get().closedAt().isAfter(last.closedAt()))) {
                    last = record.get();
                }
            }
            if (last != null) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    /** Same pod (name, and UID where both tell) and same container. */
    private static boolean ofPod(IndexRecord record, PodIdentity pod) {
        PodIdentity dumped = record.pod();
        boolean otherUid =
                pod.uid() != null && dumped.uid() != null && !pod.uid().equals(dumped.uid());
        return dumped.name().equals(pod.name())
                && dumped.container().equals(pod.container())
                && !otherUid;
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        int pages = 0;
        try {
            do {
                String continuation = token;
                ListObjectsV2Response page =
                        s3.listObjectsV2(
                                b ->
                                        b.bucket(bucket)
                                                .prefix(prefix)
                                                .continuationToken(continuation));
                page.contents().stream()
                        .map(S3Object::key)
                        .filter(k -> k.endsWith(".json"))
                        .forEach(keys::add);
                token =
                        Boolean.TRUE.equals(page.isTruncated())
                                ? page.nextContinuationToken()
                                : null;
            } while (token != null && ++pages < MAX_PAGES);
        } catch (SdkException e) {
            throw unavailable(prefix, "ListObjectsV2", e);
        }
        return keys;
    }

    private Optional<IndexRecord> read(String key) {
        Optional<byte[]> stored = StoredObjects.read(s3, bucket, key);
        if (stored.isEmpty()) {
            return Optional.empty(); // never written, or expired
        }
        byte[] body = stored.get();
        try {
            return Optional.of(json.readValue(body, IndexRecord.class));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s is not an index record (%s); passed over", key, e.getMessage());
            return Optional.empty();
        }
    }

    private static FunctionFailure unavailable(String what, String call, Exception e) {
        return FunctionFailure.unavailable(
                "S3 %s of %s failed: %s".formatted(call, what, e.getMessage()), e);
    }
}
