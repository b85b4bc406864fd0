package dev.dumpflow.functions.once;

import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks once that the store honours {@code If-None-Match: *}, on which {@link OnceMarkers}, the
 * dump object and its record rely: a store that ignores it would let two replicas both "create" a
 * key and both run a step. It creates a probe key under the markers' prefix twice, expects 412 the
 * second time, and removes the key: two small PUTs and one DELETE per start, with rights the
 * functions' IAM policy already grants there (put on {@code index/*}, delete on {@code
 * index/_markers/*}).
 *
 * <p>At start-up an unsupported store stops the application with {@link
 * ConditionalWritesUnsupported}. A store that cannot be reached then (or a client that cannot be
 * built) is checked again at the first once-only step instead, so that a slow S3 does not
 * crash-loop the pod (readiness reports it).
 */
@ApplicationScoped
public class ConditionalWriteProbe {

    private static final Logger LOG = Logger.getLogger(ConditionalWriteProbe.class);

    private final S3Client s3;
    private final String bucket;
    private volatile boolean verified;

    ConditionalWriteProbe(S3Client s3, BucketConfig bucket) {
        this.s3 = s3;
        this.bucket = bucket.name();
    }

    void onStart(@Observes StartupEvent event) {
        try {
            ensure();
        } catch (ConditionalWritesUnsupported e) {
            throw e;
        } catch (RuntimeException e) {
            // S3 down, or a client that cannot even be built from this configuration (a process
            // that never touches S3, such as a test of the event gate): not a verdict on the store.
            LOG.warnf(
                    "could not check that the S3 store of bucket %s honours conditional writes"
                            + " (%s: %s); checking again at the first once-only step",
                    bucket, e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * Probes the store unless an earlier probe passed.
     *
     * @throws ConditionalWritesUnsupported when the store accepted a second conditional create
     * @throws SdkException when the store could not be asked
     */
    public void ensure() {
        if (verified) {
            return;
        }
        synchronized (this) {
            if (!verified) {
                probe();
                verified = true;
            }
        }
    }

    private void probe() {
        String key = StorageLayout.MARKERS_PREFIX + "_probe/" + UUID.randomUUID();
        try {
            create(key);
            try {
                create(key);
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    LOG.debugf("%s honours conditional writes", store());
                    return;
                }
                throw e;
            }
            throw new ConditionalWritesUnsupported(
                    ("%s accepted a second PutObject with If-None-Match: * on %s; dumpflow needs an"
                                    + " S3 store that refuses it with 412 Precondition Failed"
                                    + " (AWS S3, MinIO, S3Proxy 4.1 or later) to store dumps and"
                                    + " run each step once")
                            .formatted(store(), key));
        } finally {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                LOG.warnf("could not remove the probe %s: %s", key, e.getMessage());
            }
        }
    }

    private void create(String key) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                RequestBody.fromString("probe", StandardCharsets.UTF_8));
    }

    private String store() {
        return "the S3 store "
                + s3.serviceClientConfiguration()
                        .endpointOverride()
                        .map(Object::toString)
                        .orElse("of region " + s3.serviceClientConfiguration().region())
                + " (bucket "
                + bucket
                + ")";
    }

    /** The store ignores {@code If-None-Match: *}: nothing can be created once on it. */
    public static final class ConditionalWritesUnsupported extends IllegalStateException {
        ConditionalWritesUnsupported(String message) {
            super(message);
        }
    }
}
