package dev.dumpflow.functions.retention;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes the objects under a prefix that were last modified before a cut-off. Lists page by page
 * and deletes in batches of at most 1,000 keys (the S3 limit), so memory stays bounded however many
 * objects the prefix holds.
 */
@Singleton
public class PrefixSweeper {

    private static final Logger LOG = Logger.getLogger(PrefixSweeper.class);
    private static final int BATCH = 1000;

    private final S3Client s3;

    public PrefixSweeper(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Deletes every object under {@code prefix} last modified before {@code cutoff}.
     *
     * @return how many objects were deleted
     */
    public int deleteOlderThan(String bucket, String prefix, Instant cutoff) {
        List<S3Object> batch = new ArrayList<>(BATCH);
        int deleted = 0;
        for (S3Object object :
                s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()) {
            if (object.lastModified().isBefore(cutoff)) {
                batch.add(object);
                if (batch.size() == BATCH) {
                    deleted += delete(bucket, batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            deleted += delete(bucket, batch);
        }
        return deleted;
    }

    private int delete(String bucket, List<S3Object> objects) {
        List<ObjectIdentifier> keys =
                objects.stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
        DeleteObjectsResponse response =
                s3.deleteObjects(delete -> delete.bucket(bucket).delete(d -> d.objects(keys)));
        Set<String> failed =
                response.errors().stream().map(S3Error::key).collect(Collectors.toSet());
        for (S3Object object : objects) {
            if (!failed.contains(object.key())) {
                LOG.infof(
                        "Local expiry removed dumpId=%s key=%s (last modified %s)",
                        DumpKeys.dumpIdOf(object.key()), object.key(), object.lastModified());
            }
        }
        for (S3Error error : response.errors()) {
            LOG.warnf(
                    "Local expiry could not remove dumpId=%s key=%s: %s %s",
                    DumpKeys.dumpIdOf(error.key()), error.key(), error.code(), error.message());
        }
        return objects.size() - failed.size();
    }
}
