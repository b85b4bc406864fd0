package dev.dumpflow.functions.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.records.DumpRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The stored dumps as the gate shows them: the index records of a namespace (or one workload),
 * newest first, and one dump by id through the archive's record ({@code index/_by-id/}), which
 * names the namespace a right is checked in.
 */
@ApplicationScoped
public class DumpCatalog {

    private static final String DATE = "/date=";

    private final S3Client s3;
    private final ObjectMapper json;
    private final DumpRecords records;
    private final String bucket;

    DumpCatalog(S3Client s3, ObjectMapper json, DumpRecords records, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.records = records;
        this.bucket = bucket.name();
    }

    /**
     * A dump found by id: the archive's record, which the namespace comes from, and what the gate
     * shows (the index record with growth and Kubernetes context when it is written, else the
     * archive's record).
     */
    public record Found(DumpArchived archived, JsonNode shown) {

        /** The namespace the dump was taken in, as the archive verified it. */
        public String namespace() {
            return archived.pod().namespace();
        }
    }

    /**
     * The dump of this id, or empty when there is none (including an id that could never be one).
     *
     * @throws GateUnavailable when the bucket cannot answer
     */
    public Optional<Found> find(String dumpId) {
        Optional<DumpArchived> archived;
        try {
            StorageLayout.byIdKey(dumpId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            archived = records.read(dumpId);
        } catch (RuntimeException e) {
            throw new GateUnavailable("the record of " + dumpId + " could not be read", e);
        }
        return archived.map(
                a -> {
                    String indexKey =
                            StorageLayout.indexDayPrefix(
                                            a.pod(),
                                            LocalDate.ofInstant(a.closedAt(), ZoneOffset.UTC))
                                    + dumpId
                                    + ".json";
                    return new Found(a, read(indexKey).orElseGet(() -> json.valueToTree(a)));
                });
    }

    /**
     * The index records of the namespace, or of one workload in it, of dumps closed at or after
     * {@code since}, newest first, at most {@code limit} of them.
     *
     * @throws GateUnavailable when the bucket cannot answer
     */
    public List<JsonNode> list(
            String namespace, Optional<String> workload, Optional<Instant> since, int limit) {
        String prefix = StorageLayout.indexListPrefix(namespace, workload);
        Optional<LocalDate> firstDay = since.map(s -> LocalDate.ofInstant(s, ZoneOffset.UTC));
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String key = object.key();
                Optional<LocalDate> day = dayOf(key);
                if (key.endsWith(".json")
                        && day.isPresent()
                        && firstDay.map(f -> !day.get().isBefore(f)).orElse(true)) {
                    keys.add(key);
                }
            }
        } catch (SdkException e) {
            throw new GateUnavailable("the index of " + namespace + " could not be listed", e);
        }
        // Newest days first; stop reading once enough records are in and an older day begins.
        keys.sort(Comparator.comparing((String k) -> dayOf(k).orElseThrow()).reversed());
        List<JsonNode> found = new ArrayList<>();
        LocalDate lastDay = null;
        for (String key : keys) {
            LocalDate day = dayOf(key).orElseThrow();
            if (found.size() >= limit && !day.equals(lastDay)) {
                break;
            }
            lastDay = day;
            read(key)
                    .filter(
                            r ->
                                    closedAt(r)
                                            .map(c -> since.map(s -> !c.isBefore(s)).orElse(true))
                                            .orElse(false))
                    .ifPresent(found::add);
        }
        found.sort(Comparator.comparing((JsonNode r) -> closedAt(r).orElseThrow()).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    private Optional<JsonNode> read(String key) {
        try {
            return Optional.of(
                    json.readTree(
                            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new GateUnavailable("S3 GetObject of " + key + " failed", e);
        } catch (SdkException e) {
            throw new GateUnavailable("S3 GetObject of " + key + " failed", e);
        } catch (IOException e) {
            throw new GateUnavailable(key + " is unreadable", e);
        }
    }

    private static Optional<Instant> closedAt(JsonNode record) {
        try {
            return Optional.of(Instant.parse(record.path("closedAt").asText()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> dayOf(String key) {
        int at = key.indexOf(DATE);
        if (at < 0 || key.length() < at + DATE.length() + 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    LocalDate.parse(key.substring(at + DATE.length(), at + DATE.length() + 10)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
