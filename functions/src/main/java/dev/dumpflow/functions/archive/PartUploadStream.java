package dev.dumpflow.functions.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The compressor's output: cuts it into parts and uploads each with {@code UploadPart} while
 * compression goes on, at most {@code concurrency} at a time. Memory stays at about part-size x
 * (concurrency + 1) whatever the dump's size, because part buffers are reused and a full buffer
 * waits for a free upload slot (back-pressure on the compressor).
 *
 * <p>A dump smaller than one part becomes a single {@code PutObject}, with no multipart upload at
 * all. Either way the object is created once, never replaced (see {@link #finish}). {@link
 * #close()} does nothing: the caller ends the object with {@link #finish} or {@link #abort}.
 */
final class PartUploadStream extends OutputStream {

    private static final Logger LOG = Logger.getLogger(PartUploadStream.class);
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final StoredDumps.Location location;
    private final Map<String, String> initialMetadata;
    private final int partSize;
    private final Semaphore slots;
    private final PartBuffers buffers;
    private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private volatile Throwable failure;
    private String uploadId;
    private byte[] current;
    private int filled;
    private long total;

    PartUploadStream(
            S3Client s3,
            StoredDumps.Location location,
            Map<String, String> initialMetadata,
            int partSize,
            int concurrency) {
        this.s3 = s3;
        this.location = location;
        this.initialMetadata = Map.copyOf(initialMetadata);
        this.partSize = partSize;
        this.slots = new Semaphore(concurrency);
        // One filling while up to `concurrency` upload.
        this.buffers = new PartBuffers(partSize, concurrency + 1);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (current == null) {
                current = buffers.take();
            }
            int n = Math.min(length, partSize - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
            total += n;
            if (filled == partSize) {
                ship();
            }
        }
    }

    /** Bytes written so far: the stored object's size once finished. */
    long bytesWritten() {
        return total;
    }

    /**
     * Ships the buffered tail as the last part and waits until every part is stored, so that a
     * failed part shows before the dump is recorded; {@link #finish()} then only completes. A dump
     * small enough for one PUT has no parts, and nothing to wait for.
     */
    void awaitParts() throws IOException {
        if (uploadId == null) {
            return;
        }
        if (filled > 0) {
            ship();
        }
        for (Future<CompletedPart> part : parts) {
            await(part);
        }
    }

    /**
     * Creates the object, once: one {@code PutObject} when it fits in a part, or the last part and
     * {@code CompleteMultipartUpload}, each with {@code If-None-Match: *}. When the key exists
     * already (412), nothing is replaced: the multipart upload is aborted.
     *
     * @return whether this call created the object; false when it was there before
     */
    boolean finish() throws IOException {
        try {
            if (uploadId == null) {
                byte[] body = current == null ? new byte[0] : current;
                int size = filled;
                s3.putObject(
                        b ->
                                b.bucket(location.bucket())
                                        .key(location.key())
                                        .contentType(StoredDumps.CONTENT_TYPE)
                                        .metadata(initialMetadata)
                                        .ifNoneMatch("*"),
                        RequestBody.fromContentProvider(
                                () -> new ByteArrayInputStream(body, 0, size),
                                size,
                                StoredDumps.CONTENT_TYPE));
                uploads.shutdown();
                return true;
            }
            if (filled > 0) {
                ship();
            }
            List<CompletedPart> done = new ArrayList<>(parts.size());
            for (Future<CompletedPart> part : parts) {
                done.add(await(part));
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            s3.completeMultipartUpload(
                    b ->
                            b.bucket(location.bucket())
                                    .key(location.key())
                                    .uploadId(uploadId)
                                    .ifNoneMatch("*")
                                    .multipartUpload(m -> m.parts(done)));
            uploads.shutdown();
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            LOG.infof(
                    "dump %s: %s exists already; it is left as it is",
                    location.dumpId(), location.key());
            abort();
            return false;
        }
    }

    /**
     * Abandons the object: stops the uploads and aborts the multipart upload, so that no part
     * lingers in the bucket. Never throws; a failed abort is logged (the bucket's lifecycle rule
     * removes the parts after a day).
     */
    void abort() {
        if (failure == null) {
            failure = new IOException("aborted");
        }
        parts.forEach(p -> p.cancel(true));
        uploads.shutdownNow();
        try {
            // Wait for running UploadParts, or a part could land after the abort.
            if (!uploads.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warnf("dump %s: uploads still running at abort", location.dumpId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(
                        b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
                LOG.infof("dump %s: multipart upload aborted", location.dumpId());
            } catch (RuntimeException e) {
                LOG.warnf(
                        "dump %s: could not abort multipart upload %s: %s",
                        location.dumpId(), uploadId, e.getMessage());
            }
        }
    }

    /** Does nothing: see {@link #finish} and {@link #abort}. */
    @Override
    public void close() {}

    private void ship() throws IOException {
        throwIfFailed();
        if (uploadId == null) {
            uploadId =
                    s3.createMultipartUpload(
                                    b ->
                                            b.bucket(location.bucket())
                                                    .key(location.key())
                                                    .contentType(StoredDumps.CONTENT_TYPE)
                                                    .metadata(initialMetadata))
                            .uploadId();
        }
        int number = parts.size() + 1;
        if (number > MAX_PARTS) {
            throw new IOException(
                    "more than 10,000 parts: raise dumpflow.upload.part-size for dumps this large");
        }
        byte[] buffer = current;
        int size = filled;
        current = null;
        filled = 0;
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            buffers.release(buffer);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an upload slot");
        }
        parts.add(uploads.submit(() -> upload(number, buffer, size)));
    }

    private CompletedPart upload(int number, byte[] buffer, int size) {
        try {
            String etag =
                    s3.uploadPart(
                                    b ->
                                            b.bucket(location.bucket())
                                                    .key(location.key())
                                                    .uploadId(uploadId)
                                                    .partNumber(number)
                                                    .contentLength((long) size),
                                    RequestBody.fromContentProvider(
                                            () -> new ByteArrayInputStream(buffer, 0, size),
                                            size,
                                            StoredDumps.CONTENT_TYPE))
                            .eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        } finally {
            buffers.release(buffer);
            slots.release();
        }
    }

    private void throwIfFailed() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("a part upload failed: " + f.getMessage(), f);
        }
    }

    private CompletedPart await(Future<CompletedPart> part) throws IOException {
        try {
            return part.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IOException(
                    "a part upload failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("a part upload took more than 10 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the part uploads");
        }
    }
}
