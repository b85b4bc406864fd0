package dev.dumpflow.functions.archive;

import dev.dumpflow.functions.FunctionFailure;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket side of an archive, apart from the uploads: looking a stored dump up and verifying it.
 * The object is created once ({@code If-None-Match: *}) and never rewritten: its SHA-256 and what
 * else is known only at the end go into the dump's record ({@code DumpRecords}), not into the
 * object's metadata.
 */
final class StoredDumps {

    /** The stored object's content type. */
    static final String CONTENT_TYPE = "application/zstd";

    /** Where one dump goes. */
    record Location(String bucket, String key, String dumpId) {}

    private final S3Client s3;

    StoredDumps(S3Client s3) {
        this.s3 = s3;
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

    /** Whether a complete object of {@code storedBytes} is at the location. */
    boolean holds(Location location, long storedBytes) {
        return head(location).map(h -> h.contentLength() == storedBytes).orElse(false);
    }

    /**
     * Checks that the stored object has the size written, before the sidecar is told to delete its
     * copy.
     */
    void verify(Location location, long storedBytes) {
        HeadObjectResponse head =
                head(location)
                        .orElseThrow(
                                () ->
                                        FunctionFailure.unavailable(
                                                "dump "
                                                        + location.dumpId()
                                                        + ": not found after upload",
                                                null));
        if (head.contentLength() != storedBytes) {
            throw FunctionFailure.unavailable(
                    "dump %s: the stored object has %d bytes, expected %d"
                            .formatted(location.dumpId(), head.contentLength(), storedBytes),
                    null);
        }
    }

    static FunctionFailure unavailable(Location location, String call, Exception e) {
        return FunctionFailure.unavailable(
                "dump %s: S3 %s failed: %s".formatted(location.dumpId(), call, e.getMessage()), e);
    }
}
