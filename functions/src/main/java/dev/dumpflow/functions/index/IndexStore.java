package dev.dumpflow.functions.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.IndexRecord;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.once.OnceMarkers;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes index records, one JSON document per dump at {@link StorageLayout#indexKey}, once.
 *
 * <p>Copies of one {@code dump.archived} can differ: a replica that found the dump already stored
 * replies with what the object's metadata holds, and enrichment may succeed for one copy and not
 * another, which even changes the key (the workload is part of it). So the first copy writes the
 * record, guarded by a marker per dumpId ({@link OnceMarkers}), and every later copy reads that
 * record back and replies from it: one record per dump, never overwritten, and the same {@code
 * dump.indexed} for every copy.
 */
@ApplicationScoped
public class IndexStore {

    private static final Logger LOG = Logger.getLogger(IndexStore.class);

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;
    private final OnceMarkers markers;

    IndexStore(S3Client s3, ObjectMapper json, BucketConfig bucket, OnceMarkers markers) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
        this.markers = markers;
    }

    /**
     * A record as stored.
     *
     * @param key where it is
     * @param record what it holds: this delivery's, or the one an earlier copy wrote
     */
    public record Stored(String key, IndexRecord record) {}

    /**
     * Stores the record, unless a copy of the same event stored one before, and returns what is
     * stored.
     *
     * @throws FunctionFailure unavailable when S3 cannot be reached or refuses the write, so that
     *     the Broker retries and, in the end, dead-letters the event for a person to see
     */
    public Stored write(IndexRecord record) {
        String context = "dumpId=" + record.dumpId();
        OnceMarkers.Done done;
        try {
            done =
                    markers.once(
                            StorageLayout.markerPrefix("index", record.dumpId()),
                            context,
                            () -> put(record));
        } catch (OnceMarkers.StoreUnavailable e) {
            throw FunctionFailure.unavailable(e.getMessage(), e);
        }
        if (done.ranHere()) {
            return new Stored(done.result(), record);
        }
        String key = done.result();
        try {
            IndexRecord earlier =
                    json.readValue(
                            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
                            IndexRecord.class);
            LOG.infof("%s: already indexed at %s, not written again", context, key);
            return new Stored(key, earlier);
        } catch (IOException | RuntimeException e) {
            // The record went (expired, removed by hand) while its marker stayed: write it again.
            LOG.warnf(
                    "%s: the record indexed at %s could not be read back (%s); writing it again",
                    context, key, e.getMessage());
            return new Stored(put(record), record);
        }
    }

    private String put(IndexRecord record) {
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
