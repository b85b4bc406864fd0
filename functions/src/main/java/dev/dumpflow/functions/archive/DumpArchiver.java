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
 *
 * <p>Duplicates across replicas: {@link InFlightDumps} serialises one process only, so the bucket
 * decides. The key derives from the dumpId; before completing its upload an archive looks for a
 * verified copy (same dumpId, raw size and SHA-256) and, if another replica stored one meanwhile,
 * aborts its own upload and replies from the stored one; an archive that fails while another
 * replica's copy is verified replies from that copy too; and an archive never deletes a completed
 * object, which may be another replica's verified copy.
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
            // A concurrent delivery of the same event, here or in another replica, may have
            // archived it (and deleted the sidecar's copy, or overwritten ours) in the meantime.
            Optional<DumpArchived> meanwhile = alreadyStored(closed, location);
            if (meanwhile.isPresent()) {
                LOG.infof(
                        "dump %s: this attempt failed (%s) but a concurrent one stored it at %s",
                        dumpId, e.getMessage(), location.key());
                return meanwhile.get();
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
            HeapSummary analysis = tap == null ? null : tap.result().orElse(null);
            Optional<DumpArchived> meanwhile = storedBy(closed, location, sha256);
            if (meanwhile.isPresent()) {
                LOG.infof(
                        "dump %s: a concurrent delivery stored it at %s first; this upload is"
                                + " dropped",
                        closed.dumpId(), location.key());
                upload.abort();
                return withAnalysis(meanwhile.get(), closed, analysis);
            }
            boolean multipart = upload.finish(metadata);
            completed = true;
            if (multipart) {
                stored.replaceMetadata(location, metadata, storedBytes);
            }
            stored.verify(location, storedBytes, sha256);
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

    /** A verified copy of this very dump (same SHA-256 of the raw bytes), if one is stored. */
    private Optional<DumpArchived> storedBy(
            DumpClosed closed, StoredDumps.Location location, String sha256) {
        return alreadyStored(closed, location).filter(a -> a.sha256().equals(sha256));
    }

    /** The stored copy's reply, with the analysis this attempt made on the way. */
    private static DumpArchived withAnalysis(
            DumpArchived stored, DumpClosed closed, HeapSummary analysis) {
        return DumpMetadata.reply(
                closed,
                stored.bucket(),
                stored.key(),
                stored.storedBytes(),
                stored.sha256(),
                stored.durationMs(),
                stored.archivedAt(),
                analysis);
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
     * Leaves no part behind: aborts the multipart upload. A completed object is never deleted: the
     * key is shared by every delivery of the dump, so it may by now be another replica's verified
     * copy. One completed here but not verified lacks its SHA-256, which re-delivery reads as not
     * archived and rewrites.
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
        LOG.warnf(
                "dump %s: %s was completed but not verified; it is left for a re-delivery to"
                        + " rewrite",
                location.dumpId(), location.key());
    }
}
