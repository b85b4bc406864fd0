package dev.dumpflow.functions.retention;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes the objects under a prefix that were last modified before a cut-off. It lists page by
 * page, so memory stays bounded however many objects the prefix holds, and deletes one object at a
 * time: the stores it serves (S3Proxy) answer 501 to the checksum header that the SDK puts on a
 * multi-object delete, and a local stack expires few objects at once.
 */
@Singleton
public class PrefixSweeper {

    private static final Logger LOG = Logger.getLogger(PrefixSweeper.class);

    /** S3's own largest listing page. */
    private static final int PAGE_SIZE = 1000;

    private final S3Client s3;
    private final int pageSize;

    @Inject
    public PrefixSweeper(S3Client s3) {
        this(s3, PAGE_SIZE);
    }

    PrefixSweeper(S3Client s3, int pageSize) {
        this.s3 = s3;
        this.pageSize = pageSize;
    }

    /**
     * Deletes every object under {@code prefix} last modified before {@code cutoff}.
     *
     * @return how many objects were deleted
     */
    public int deleteOlderThan(String bucket, String prefix, Instant cutoff) {
        int deleted = 0;
        for (S3Object object :
                s3.listObjectsV2Paginator(
                                list -> list.bucket(bucket).prefix(prefix).maxKeys(pageSize))
                        .contents()) {
            if (object.lastModified().isBefore(cutoff)) {
                s3.deleteObject(delete -> delete.bucket(bucket).key(object.key()));
                LOG.infof(
                        "Local expiry removed dumpId=%s key=%s (last modified %s)",
                        DumpKeys.dumpIdOf(object.key()), object.key(), object.lastModified());
                deleted++;
            }
        }
        return deleted;
    }
}
