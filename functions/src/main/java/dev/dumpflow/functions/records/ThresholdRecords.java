package dev.dumpflow.functions.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.events.ThresholdRecord;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The memory threshold crossings of each pod, one object per crossing at {@link
 * StorageLayout#thresholdKey}, so that the verdict on a later OOM kill can name the last one. Each
 * is created once ({@code If-None-Match: *}) under a key made of its time and its event, so a
 * re-delivered event finds its crossing kept and writes nothing.
 */
@ApplicationScoped
public class ThresholdRecords {

    private static final Logger LOG = Logger.getLogger(ThresholdRecords.class);

    /** Pages of 1,000 keys listed at most for one pod: a pod crossing more is not plausible. */
    private static final int MAX_PAGES = 10;

    /** Crossings read at most while looking for the container's last one. */
    private static final int MAX_READS = 20;

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    ThresholdRecords(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * Keeps a crossing, unless a copy of the same event kept it before.
     *
     * @param event the event's {@code source} and {@code id}, which name the crossing
     * @throws FunctionFailure unavailable when S3 cannot take it, so that the Broker retries
     */
    public void keep(String event, ThresholdRecord record) {
        var pod = record.crossed().pod();
        String key =
                StorageLayout.thresholdKey(pod.namespace(), pod.name(), record.at(), hash(event));
        byte[] body;
        try {
            body = json.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a threshold record did not serialise", e);
        }
        // False when an earlier copy of the event kept it already: nothing more to do.
        StoredObjects.createOnce(s3, bucket, key, body);
    }

    /**
     * The last crossing kept for a container of a pod between {@code from} and {@code to}, both
     * included. A crossing of another container, or of another pod of the same name (another UID),
     * is passed over.
     *
     * @param uid the pod's UID; a crossing that names another one is not this pod's
     * @throws FunctionFailure unavailable when S3 cannot answer
     */
    public Optional<ThresholdRecord> last(
            String namespace, String pod, String uid, String container, Instant from, Instant to) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : list(StorageLayout.thresholdsPrefix(namespace, pod))) {
            StorageLayout.thresholdTime(object.key())
                    .filter(at -> !at.isBefore(from) && !at.isAfter(to))
                    .ifPresent(at -> keys.add(object.key()));
        }
        keys.sort(Comparator.reverseOrder());
        int reads = 0;
        for (String key : keys) {
            if (reads++ == MAX_READS) {
                LOG.warnf(
                        "pod=%s/%s: %d crossings read without one of container %s; looked no"
                                + " further",
                        namespace, pod, MAX_READS, container);
                break;
            }
            Optional<ThresholdRecord> record = read(key);
            if (record.isEmpty()) {
                continue;
            }
            var crossed = record.get().crossed().pod();
            boolean otherPod = uid != null && crossed.uid() != null && !uid.equals(crossed.uid());
            if (container.equals(crossed.container()) && !otherPod) {
                return record;
            }
        }
        return Optional.empty();
    }

    private List<S3Object> list(String prefix) {
        List<S3Object> all = new ArrayList<>();
        String token = null;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                String continuation = token;
                ListObjectsV2Response response =
                        s3.listObjectsV2(
                                b ->
                                        b.bucket(bucket)
                                                .prefix(prefix)
                                                .continuationToken(continuation));
                all.addAll(response.contents());
                if (!Boolean.TRUE.equals(response.isTruncated())) {
                    return all;
                }
                token = response.nextContinuationToken();
            }
        } catch (SdkException e) {
            throw unavailable(prefix, "ListObjectsV2", e);
        }
        LOG.warnf(
                "%s: more than %d pages of crossings; the newest may be missed", prefix, MAX_PAGES);
        return all;
    }

    private Optional<ThresholdRecord> read(String key) {
        Optional<byte[]> stored = StoredObjects.read(s3, bucket, key);
        if (stored.isEmpty()) {
            return Optional.empty(); // never written, or expired
        }
        byte[] body = stored.get();
        try {
            return Optional.of(json.readValue(body, ThresholdRecord.class));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s is not a threshold record (%s); passed over", key, e.getMessage());
            return Optional.empty();
        }
    }

    /** A short, key-safe name of an event: the first 16 hex digits of its SHA-256. */
    private static String hash(String event) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(event.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static FunctionFailure unavailable(String key, String call, Exception e) {
        return FunctionFailure.unavailable(
                "S3 %s of %s failed: %s".formatted(call, key, e.getMessage()), e);
    }
}
