package dev.dumpflow.functions.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes index records, one JSON document per dump at {@link StorageLayout#indexKey}. The key
 * derives from the dumpId, so a re-delivered event overwrites the same object rather than adding
 * one.
 */
@ApplicationScoped
public class IndexStore {

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    IndexStore(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * Stores the record and returns its key.
     *
     * @throws FunctionFailure unavailable when S3 cannot be reached or refuses the write, so that
     *     the Broker retries and, in the end, dead-letters the event for a person to see
     */
    public String write(IndexRecord record) {
        String key = StorageLayout.indexKey(record);
        byte[] body;
        try {
            body = json.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an index record did not serialise", e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(body));
        } catch (SdkException e) {
            throw FunctionFailure.unavailable(
                    "S3 did not take the index record of dumpId="
                            + record.dumpId()
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")",
                    e);
        }
        return key;
    }
}
