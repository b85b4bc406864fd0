package dev.dumpflow.functions;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads and creates the small JSON objects the functions keep in the bucket (records, crossings,
 * histograms), with one meaning for every answer: an absent object is empty, a key that exists
 * refuses a second creation, and an S3 that does not answer is a {@link FunctionFailure}
 * unavailable, so that the Broker delivers the event again.
 */
public final class StoredObjects {

    private static final String JSON = "application/json";

    private StoredObjects() {}

    /**
     * The object's bytes, or empty when it does not exist (never written, or expired).
     *
     * @throws FunctionFailure unavailable when S3 does not answer
     */
    public static Optional<byte[]> read(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("GetObject", key, e);
        } catch (SdkException e) {
            throw unavailable("GetObject", key, e);
        }
    }

    /**
     * Creates the JSON object unless the key exists ({@code If-None-Match: *}).
     *
     * @return whether this call created it; false when it was there before, or a concurrent
     *     creation of it is under way (409)
     * @throws FunctionFailure unavailable when S3 does not answer
     */
    public static boolean createOnce(S3Client s3, String bucket, String key, byte[] json) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType(JSON).ifNoneMatch("*"),
                    RequestBody.fromBytes(json));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw unavailable("PutObject", key, e);
        } catch (SdkException e) {
            throw unavailable("PutObject", key, e);
        }
    }

    private static FunctionFailure unavailable(String call, String key, SdkException e) {
        return FunctionFailure.unavailable(
                "S3 %s of %s failed: %s".formatted(call, key, e.getMessage()), e);
    }
}
