package dev.dumpflow.functions.archive;

import dev.dumpflow.events.DumpArchived;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.HeapSummary;
import dev.dumpflow.events.StorageLayout;
import dev.dumpflow.functions.BucketConfig;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.analysis.DumpAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Archives one closed dump: checks where it would be fetched from, skips it when a complete copy is
 * already stored (re-delivery), else streams it from the sidecar through zstd into a multipart
 * upload, verifies the object, and only then deletes the dump on the sidecar.
 */
@ApplicationScoped
class DumpArchiver {

    private static final Logger LOG = Logger.getLogger(DumpArchiver.class);

    private final S3Client s3;
    private final ArchiveConfig config;
    private final String bucket;
    private final Instance<DumpAnalyzer> analyzers;
    private final SidecarFetch fetch;
    private final StoredDumps stored;
    private final CompressingCopy copy;
    private final InFlightDumps inFlight = new InFlightDumps();

    DumpArchiver(
            S3Client s3,
            ArchiveConfig config,
            BucketConfig bucket,
            Instance<DumpAnalyzer> analyzers) {
        this.s3 = s3;
        this.config = config;
        this.bucket = bucket.name();
        this.analyzers = analyzers;
        this.fetch =
                new SidecarFetch(
                        new AllowedHosts(config.fetch().allowedHosts()),
                        config.fetch().timeout(),
                        config.fetch().resumeAttempts());
        this.stored = new StoredDumps(s3, StoredDumps.SINGLE_COPY_LIMIT, StoredDumps.COPY_PART);
        this.copy =
                new CompressingCopy(
                        config.compression().level(), config.compression().effectiveWorkers());
    }

    DumpArchived archive(DumpClosed closed) {
        return inFlight.exclusively(closed.dumpId(), () -> archiveNow(closed));
    }

    private DumpArchived archiveNow(DumpClosed closed) {
        String dumpId = closed.dumpId();
        StoredDumps.Location location =
                new StoredDumps.Location(
                        bucket,
                        StorageLayout.dumpKey(
                                closed.pod(), dumpId, closed.format(), closed.closedAt()),
                        dumpId);
        // Refuse a host before anything else happens, S3 lookups included.
        SidecarFetch.Target target = fetch.target(closed.fetch(), dumpId);
        Optional<DumpArchived> already = alreadyStored(closed, location);
        if (already.isPresent()) {
            LOG.infof("dump %s: already stored at %s, not uploaded again", dumpId, location.key());
            fetch.delete(target);
            return already.get();
        }
        DumpArchived archived;
        try {
            archived = transfer(closed, location, target);
        } catch (FunctionFailure e) {
            if (e.kind() == FunctionFailure.Kind.UNPROCESSABLE) {
                // A concurrent delivery of the same event may have archived it and deleted the
                // sidecar's copy in the meantime.
                Optional<DumpArchived> meanwhile = alreadyStored(closed, location);
                if (meanwhile.isPresent()) {
                    return meanwhile.get();
                }
            }
            throw e;
        }
        fetch.delete(target);
        return archived;
    }

    private Optional<DumpArchived> alreadyStored(DumpClosed closed, StoredDumps.Location location) {
        return stored.head(location)
                .flatMap(
                        head ->
                                DumpMetadata.stored(
                                        closed,
                                        head.metadata(),
                                        head.contentLength(),
                                        location.bucket(),
                                        location.key()));
    }

    private DumpArchived transfer(
            DumpClosed closed, StoredDumps.Location location, SidecarFetch.Target target) {
        ArchiveProgress progress =
                new ArchiveProgress(closed.dumpId(), closed.sizeBytes(), location.key());
        PartUploadStream upload =
                new PartUploadStream(
                        s3,
                        location,
                        DumpMetadata.initial(closed),
                        config.upload().partSize(),
                        config.upload().concurrency());
        AnalysisTap tap = startAnalysis(closed);
        boolean completed = false;
        try (InputStream body = fetch.open(target, closed.sizeBytes())) {
            String sha256 =
                    copy.copy(body, closed.sizeBytes(), upload, tap, progress, closed.dumpId());
            long storedBytes = upload.bytesWritten();
            Instant archivedAt = Instant.now();
            long durationMs = progress.elapsedMillis();
            Map<String, String> metadata =
                    DumpMetadata.complete(closed, sha256, durationMs, archivedAt);
            boolean multipart = upload.finish(metadata);
            completed = true;
            if (multipart) {
                stored.replaceMetadata(location, metadata, storedBytes);
            }
            stored.verify(location, storedBytes, sha256);
            HeapSummary analysis = tap == null ? null : tap.result().orElse(null);
            progress.done(storedBytes);
            return DumpMetadata.reply(
                    closed,
                    location.bucket(),
                    location.key(),
                    storedBytes,
                    sha256,
                    durationMs,
                    archivedAt,
                    analysis);
        } catch (FunctionFailure e) {
            abandon(upload, tap, location, completed);
            throw e;
        } catch (IOException | SdkException e) {
            abandon(upload, tap, location, completed);
            throw FunctionFailure.unavailable(
                    "dump %s: archive failed, the dump stays on the sidecar: %s"
                            .formatted(closed.dumpId(), e.getMessage()),
                    e);
        } catch (RuntimeException e) {
            abandon(upload, tap, location, completed);
            throw e;
        }
    }

    private AnalysisTap startAnalysis(DumpClosed closed) {
        return analyzers.stream()
                .filter(a -> a.supports(closed.format()))
                .findFirst()
                .map(
                        a ->
                                AnalysisTap.start(
                                        a,
                                        closed.format(),
                                        closed.dumpId(),
                                        config.archive().analysisTimeout()))
                .orElse(null);
    }

    /**
     * Leaves nothing behind: aborts the multipart upload, or removes an object completed but not
     * verified (it would lack its SHA-256, and re-delivery rewrites it anyway).
     */
    private void abandon(
            PartUploadStream upload,
            AnalysisTap tap,
            StoredDumps.Location location,
            boolean completed) {
        if (tap != null) {
            tap.drop();
        }
        if (!completed) {
            upload.abort();
            return;
        }
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "dump %s: could not remove the unverified object %s: %s",
                    location.dumpId(), location.key(), e.getMessage());
        }
    }
}
