package dev.dumpflow.functions.chaos;

import dev.dumpflow.functions.notify.SlackRecorder;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the pipeline holds at one moment: the archived objects (and the SHA-256 each carries in its
 * metadata), the index records, and the Slack notifications, each counted by dumpId.
 *
 * @param objects objects under {@code dumps/}
 * @param indexRecords records under {@code index/namespace=}
 * @param notifications "dump stored" notifications
 * @param failedNotifications "dump NOT saved" notifications
 * @param duplicates copies beyond the first: objects of the same bytes, records and notifications
 *     of the same dumpId
 * @param stored produced dumps whose bytes are in an object
 * @param lost produced dumps whose bytes are in no object
 */
record Census(
        int objects,
        int indexRecords,
        int notifications,
        int failedNotifications,
        int duplicates,
        int stored,
        int lost) {

    private static final Pattern DUMP_KEY = Pattern.compile("([^/.]+)\\.[^/]+\\.zst$");
    private static final Pattern INDEX_KEY = Pattern.compile("([^/]+)\\.json$");

    static Census take(
            S3Client s3, String bucket, List<SlackRecorder.Post> posts, Set<String> producedSha) {
        Map<String, Integer> shaCopies = new HashMap<>();
        Set<String> dumpIds = new HashSet<>();
        int objects = 0;
        for (S3Object o : list(s3, bucket, "dumps/")) {
            Matcher m = DUMP_KEY.matcher(o.key());
            if (!m.find()) {
                continue;
            }
            objects++;
            dumpIds.add(m.group(1));
            // The SHA-256 is in the dump's record, created once before the object.
            String sha = recordedSha(s3, bucket, m.group(1));
            if (sha != null) {
                shaCopies.merge(sha, 1, Integer::sum);
            }
        }
        Map<String, Integer> recordCopies = new HashMap<>();
        int records = 0;
        // The queryable records only: index/_by-id/, _histograms/ and _thresholds/ (hidden from
        // Hive-style readers) hold one more object per dump, which is no second record.
        for (S3Object o : list(s3, bucket, "index/namespace=")) {
            Matcher m = INDEX_KEY.matcher(o.key());
            if (m.find()) {
                records++;
                recordCopies.merge(m.group(1), 1, Integer::sum);
            }
        }
        Map<String, Integer> noticeCopies = new HashMap<>();
        int notices = 0;
        int failed = 0;
        for (SlackRecorder.Post post : posts) {
            if (post.body().contains("NOT saved")) {
                failed++;
                continue;
            }
            notices++;
            dumpIds.stream()
                    .filter(post.body()::contains)
                    .forEach(id -> noticeCopies.merge(id, 1, Integer::sum));
        }
        int duplicates =
                extra(shaCopies.values())
                        + extra(recordCopies.values())
                        + extra(noticeCopies.values());
        int stored = (int) producedSha.stream().filter(shaCopies::containsKey).count();
        return new Census(
                objects, records, notices, failed, duplicates, stored, producedSha.size() - stored);
    }

    /** Whether the pipeline has delivered everything it was given, as far as counts tell. */
    boolean complete(int produced) {
        return objects >= produced && indexRecords >= produced && notifications >= produced;
    }

    private static int extra(Collection<Integer> copies) {
        return copies.stream().mapToInt(c -> c - 1).sum();
    }

    /** The objects under a prefix, without the directory entries S3Proxy's file store lists. */
    private static List<S3Object> list(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .toList();
    }

    private static String recordedSha(S3Client s3, String bucket, String dumpId) {
        try {
            String record =
                    s3.getObjectAsBytes(
                                    b ->
                                            b.bucket(bucket)
                                                    .key(
                                                            dev.dumpflow.events.StorageLayout
                                                                    .byIdKey(dumpId)))
                            .asUtf8String();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"")
                            .matcher(record);
            return m.find() ? m.group(1) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
