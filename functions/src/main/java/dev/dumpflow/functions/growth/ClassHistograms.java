package dev.dumpflow.functions.growth;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.analysis.ClassHistogram;
import dev.dumpflow.events.HeapSummary.ClassStat;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.StoredObjects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The full class histograms of HPROF dumps at {@link StorageLayout#histogramKey}. The archive
 * creates each once ({@code If-None-Match: *}) from its same-pass analysis, before the dump's
 * record, and never replaces it; the index reads them to compute growth. A histogram names the
 * SHA-256 of its dump, and is read only for the dump whose record has that SHA-256.
 */
@ApplicationScoped
public class ClassHistograms {

    private static final Logger LOG = Logger.getLogger(ClassHistograms.class);

    /** About what one entry takes as JSON, to size the buffer once. */
    private static final int BYTES_PER_CLASS = 80;

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    ClassHistograms(S3Client s3, ObjectMapper json, BucketConfig bucket) {
        this.s3 = s3;
        this.json = json;
        this.bucket = bucket.name();
    }

    /**
     * Creates the dump's histogram unless one exists: a re-delivery, or a concurrent copy of the
     * same dump, finds it there and leaves it.
     *
     * @throws FunctionFailure unavailable when S3 cannot take it, so that the archive fails and the
     *     Broker delivers the dump again
     */
    public void create(String dumpId, String sha256, ClassHistogram histogram) {
        String key = StorageLayout.histogramKey(dumpId);
        byte[] body = write(dumpId, sha256, histogram);
        if (!StoredObjects.createOnce(s3, bucket, key, body)) {
            LOG.infof("dumpId=%s: its histogram is stored already, not written again", dumpId);
        }
    }

    /**
     * The histogram of the dump whose raw bytes have {@code sha256}; empty when there is none (not
     * HPROF, analysis off, failed or cut off, or expired), or when the one stored belongs to
     * another dump of this dumpId.
     *
     * @throws FunctionFailure unavailable when S3 cannot answer
     */
    public Optional<ClassHistogram> read(String dumpId, String sha256) {
        String key = StorageLayout.histogramKey(dumpId);
        StoredHistogram stored;
        try (InputStream body = s3.getObject(b -> b.bucket(bucket).key(key))) {
            stored = json.readValue(body, StoredHistogram.class);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable(dumpId, "GetObject", e);
        } catch (SdkException e) {
            throw unavailable(dumpId, "GetObject", e);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "dumpId=%s: the histogram at %s is unreadable (%s); left out", dumpId, key, e);
            return Optional.empty();
        }
        if (!dumpId.equals(stored.dumpId()) || !sha256.equals(stored.sha256())) {
            LOG.warnf(
                    "dumpId=%s: the histogram at %s belongs to another dump; left out",
                    dumpId, key);
            return Optional.empty();
        }
        return Optional.of(stored.histogram());
    }

    /**
     * The document, written entry by entry through a generator: a histogram of 100,000 classes
     * becomes its bytes without a tree or a string of it in between.
     */
    private byte[] write(String dumpId, String sha256, ClassHistogram histogram) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + histogram.classes().size() * BYTES_PER_CLASS);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("dumpId", dumpId);
            g.writeStringField("sha256", sha256);
            g.writeArrayFieldStart("classes");
            for (ClassStat c : histogram.classes()) {
                g.writeStartObject();
                g.writeStringField("className", c.className());
                g.writeNumberField("instances", c.instances());
                g.writeNumberField("bytes", c.bytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a histogram did not serialise", e);
        }
        return out.toByteArray();
    }

    private static FunctionFailure unavailable(String dumpId, String call, Exception e) {
        return FunctionFailure.unavailable(
                "dumpId=%s: S3 %s of its histogram failed: %s"
                        .formatted(dumpId, call, e.getMessage()),
                e);
    }
}
