package dev.dumpflow.functions.archive;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.FetchLocation;
import dev.dumpflow.events.PodIdentity;
import dev.dumpflow.events.Samples;
import dev.dumpflow.events.StorageLayout;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Builds dump.closed events and posts them as the Broker would, in binary or structured mode. */
final class ArchiveRequests {

    static final String TOKEN = "c2VjcmV0LXRva2VuLWZvci10aGlzLWR1bXAtb25seQ";

    private final ObjectMapper mapper;

    ArchiveRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static String newDumpId() {
        return "20261122T034912Z-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static DumpClosed closed(String dumpId, long size, URI url, String token) {
        return new DumpClosed(
                dumpId,
                "java_pid42.hprof",
                size,
                Samples.CLOSED_AT,
                DumpFormat.HPROF,
                DumpCause.OOM,
                42L,
                new FetchLocation(url, token, Samples.CLOSED_AT.plusSeconds(3600)),
                Samples.pod());
    }

    /** The same event about a pod of another UID, such as the one the API server assigned. */
    static DumpClosed withUid(DumpClosed c, String uid) {
        PodIdentity p = c.pod();
        return new DumpClosed(
                c.dumpId(),
                c.fileName(),
                c.sizeBytes(),
                c.closedAt(),
                c.format(),
                c.cause(),
                c.pid(),
                c.fetch(),
                new PodIdentity(
                        p.namespace(),
                        p.name(),
                        uid,
                        p.node(),
                        p.container(),
                        p.workload(),
                        p.labels()));
    }

    static String key(DumpClosed closed) {
        return StorageLayout.dumpKey(
                closed.pod(), closed.dumpId(), closed.format(), closed.closedAt());
    }

    String json(Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts in binary mode: the attributes in {@code ce-*} headers, the data as the body. */
    Response postBinary(String type, String body, String dumpId) {
        return given().header("ce-id", UUID.randomUUID().toString())
                .header("ce-specversion", "1.0")
                .header("ce-type", type)
                .header(
                        "ce-source",
                        "/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q/containers/app")
                .header("ce-subject", dumpId)
                .header("ce-dumpid", dumpId)
                .contentType("application/json")
                .body(body)
                .post("/");
    }

    Response postBinary(DumpClosed closed) {
        return postBinary(EventTypes.DUMP_CLOSED, json(closed), closed.dumpId());
    }

    /** Posts in structured mode: the whole event as {@code application/cloudevents+json}. */
    Response postStructured(DumpClosed closed) {
        ObjectNode event = mapper.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", EventTypes.DUMP_CLOSED);
        event.put("source", "/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q/containers/app");
        event.put("subject", closed.dumpId());
        event.put("dumpid", closed.dumpId());
        event.put("datacontenttype", "application/json");
        event.set("data", mapper.valueToTree(closed));
        return given().contentType("application/cloudevents+json").body(json(event)).post("/");
    }

    static List<S3Object> objects(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents();
    }

    static List<MultipartUpload> uploads(S3Client s3, String bucket) {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads();
    }
}
