package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket side of an archive, apart from the part uploads: looking a dump up, adding the
 * metadata known only at the end, and verifying the result.
 *
 * <p>Why a copy for the SHA-256: S3 takes an object's metadata when the upload starts, and the hash
 * is known only after the last byte, while parts already went up. A server-side copy of the object
 * onto itself with {@code REPLACE} sets it without moving the bytes through the function; until
 * then a reader sees an object without {@code sha256}, which re-delivery treats as not archived.
 * Objects of 5 GiB or more, which {@code CopyObject} refuses, are copied in parts.
 */
final class StoredDumps {

    /** The stored object's content type. */
    static final String CONTENT_TYPE = "application/zstd";

    /** S3's limit for a single {@code CopyObject}. */
    static final long SINGLE_COPY_LIMIT = 5L << 30;

    /** Part size of a multipart copy: well inside S3's 5 MiB to 5 GiB. */
    static final long COPY_PART = 1L << 30;

    /** Where one dump goes. */
    record Location(String bucket, String key, String dumpId) {}

    private final S3Client s3;
    private final long singleCopyLimit;
    private final long copyPart;

    StoredDumps(S3Client s3, long singleCopyLimit, long copyPart) {
        this.s3 = s3;
        this.singleCopyLimit = singleCopyLimit;
        this.copyPart = copyPart;
    }

    /** The object at the location, if any. */
    Optional<HeadObjectResponse> head(Location location) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(location.bucket()).key(location.key())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable(location, "HeadObject", e);
        } catch (SdkException e) {
            throw unavailable(location, "HeadObject", e);
        }
    }

    /** Replaces the object's metadata with {@code metadata}, by a server-side copy. */
    void replaceMetadata(Location location, Map<String, String> metadata, long storedBytes) {
        if (storedBytes < singleCopyLimit) {
            s3.copyObject(
                    b ->
                            b.sourceBucket(location.bucket())
                                    .sourceKey(location.key())
                                    .destinationBucket(location.bucket())
                                    .destinationKey(location.key())
                                    .metadataDirective(MetadataDirective.REPLACE)
                                    .contentType(CONTENT_TYPE)
                                    .metadata(metadata));
            return;
        }
        String uploadId =
                s3.createMultipartUpload(
                                b ->
                                        b.bucket(location.bucket())
                                                .key(location.key())
                                                .contentType(CONTENT_TYPE)
                                                .metadata(metadata))
                        .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long from = 0; from < storedBytes; from += copyPart) {
                int number = parts.size() + 1;
                String range =
                        "bytes=%d-%d".formatted(from, Math.min(storedBytes, from + copyPart) - 1);
                String etag =
                        s3.uploadPartCopy(
                                        b ->
                                                b.sourceBucket(location.bucket())
                                                        .sourceKey(location.key())
                                                        .destinationBucket(location.bucket())
                                                        .destinationKey(location.key())
                                                        .uploadId(uploadId)
                                                        .partNumber(number)
                                                        .copySourceRange(range))
                                .copyPartResult()
                                .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(
                    b ->
                            b.bucket(location.bucket())
                                    .key(location.key())
                                    .uploadId(uploadId)
                                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(
                    b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
            throw e;
        }
    }

    /**
     * Checks that the stored object has the size written and carries the SHA-256, before the
     * sidecar is told to delete its copy.
     */
    HeadObjectResponse verify(Location location, long storedBytes, String sha256) {
        HeadObjectResponse head =
                head(location)
                        .orElseThrow(
                                () ->
                                        FunctionFailure.unavailable(
                                                "dump "
                                                        + location.dumpId()
                                                        + ": not found after upload",
                                                null));
        if (head.contentLength() != storedBytes
                || !sha256.equals(head.metadata().get(DumpMetadata.SHA256))) {
            throw FunctionFailure.unavailable(
                    "dump %s: the stored object has %d bytes and sha256 %s, expected %d and %s"
                            .formatted(
                                    location.dumpId(),
                                    head.contentLength(),
                                    head.metadata().get(DumpMetadata.SHA256),
                                    storedBytes,
                                    sha256),
                    null);
        }
        return head;
    }

    static FunctionFailure unavailable(Location location, String call, Exception e) {
        return FunctionFailure.unavailable(
                "dump %s: S3 %s failed: %s".formatted(location.dumpId(), call, e.getMessage()), e);
    }
}
