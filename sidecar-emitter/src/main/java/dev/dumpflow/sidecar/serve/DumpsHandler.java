package dev.dumpflow.sidecar.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD|DELETE /dumps/{dumpId}}: serves and deletes announced dumps only, for the bearer
 * of the dump's token. The id is looked up in the registry and never turned into a path, so no
 * request can reach another file.
 *
 * <p>An unknown id and a known one without its valid token get the same answer, 404 with the same
 * body, so that nobody without a token learns which dumps exist. Only then is a GET's body granted
 * a transfer ({@link TransferSlots}), or refused 503 with Retry-After when every transfer is in
 * use.
 */
final class DumpsHandler implements HttpHandler {

    static final String PREFIX = "/dumps/";

    /** Seconds a refused client is asked to wait: about what a short transfer takes. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final System.Logger LOG = System.getLogger(DumpsHandler.class.getName());
    private static final Pattern RAW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String NO_SUCH_DUMP = "no such dump, or not for this token";

    /**
     * The most handed to the HTTP server in one write. Its per-connection output buffer starts at 4
     * KiB behind an 8 KiB buffered stream, and a larger write makes it allocate twice the write's
     * size and keep that for the connection's life (128 KiB for a 64 KiB write, which is how 100
     * clients that read nothing filled the 24 MiB heap before transfers were capped). 32 KiB rather
     * than 8 because serving took 20-31 % less CPU per GB with it, and half as much with the
     * image's -Xint; the price is the buffer an idle kept-alive connection keeps: 127 of them that
     * each fetched 64 KiB leave 14 MiB of the heap live (8 MiB with 8 KiB writes, 21 MiB of 24 with
     * 64 KiB writes, which is why not 64). Measured in docs/performance.md, "Sidecar serving CPU".
     */
    private static final int SLICE = 32 * 1024;

    private final AnnouncedDumps dumps;
    private final TransferSlots transfers;
    private final Clock clock;
    private final SidecarMetrics metrics;

    DumpsHandler(
            AnnouncedDumps dumps, TransferSlots transfers, Clock clock, SidecarMetrics metrics) {
        this.dumps = dumps;
        this.transfers = transfers;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD, DELETE");
                Responses.send(exchange, 405, "method not allowed");
                return;
            }
            // The raw path, never decoded: an id is plain, so anything encoded is no id.
            String rawPath = exchange.getRequestURI().getRawPath();
            String raw = rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : "";
            Optional<AnnouncedDump> found =
                    RAW_ID.matcher(raw).matches() ? dumps.find(raw) : Optional.empty();
            if (found.isPresent() && !authorised(exchange, found.get())) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: refused {1}, no valid token",
                        found.get().dumpId(),
                        method);
                found = Optional.empty();
            }
            if (found.isEmpty()) {
                Responses.send(exchange, 404, NO_SUCH_DUMP);
                return;
            }
            AnnouncedDump dump = found.get();
            if (method.equals("DELETE")) {
                delete(exchange, dump);
                return;
            }
            // Through the descriptor held since the announcement, never by path: the path may
            // have died with the process whose root it went through.
            Optional<FileChannel> file;
            try {
                file = dumps.openForReading(dump.dumpId());
            } catch (IOException releasedMeanwhile) {
                file = Optional.empty();
            }
            if (file.isEmpty()) {
                Responses.send(exchange, 404, NO_SUCH_DUMP);
                return;
            }
            serve(exchange, dump, file.get(), method.equals("HEAD"));
        }
    }

    private boolean authorised(HttpExchange exchange, AnnouncedDump dump) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return dump.acceptsToken(header.substring(7).trim()) && !dump.expiredAt(clock.instant());
    }

    private void delete(HttpExchange exchange, AnnouncedDump dump) throws IOException {
        AnnouncedDumps.Deletion done = dumps.delete(dump.dumpId());
        LOG.log(
                System.Logger.Level.INFO,
                done == AnnouncedDumps.Deletion.UNLINKED
                        ? "dump {0}: deleted {1} on request"
                        : "dump {0}: released {1} on request; no path leads to it any more, so"
                                + " closing its descriptor was the delete",
                dump.dumpId(),
                dump.fileName());
        exchange.sendResponseHeaders(204, -1);
    }

    private void serve(
            HttpExchange exchange, AnnouncedDump dump, FileChannel opened, boolean headOnly)
            throws IOException {
        try (FileChannel file = opened) {
            long size = file.size();
            Optional<ByteRange> range;
            try {
                range = ByteRange.of(exchange.getRequestHeaders().getFirst("Range"), size);
            } catch (ByteRange.Unsatisfiable outside) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                Responses.send(exchange, 416, "range not satisfiable");
                return;
            }
            long first = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            int status = range.isPresent() ? 206 : 200;
            if (headOnly) {
                describe(exchange, range, size).set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            switch (transfers.admit(dump.dumpId())) {
                case TransferSlots.Refused refused -> refuse(exchange, dump, refused);
                case TransferSlots.Granted granted -> {
                    try (Transfer transfer = granted.transfer()) {
                        describe(exchange, range, size);
                        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
                        LOG.log(
                                System.Logger.Level.INFO,
                                "dump {0}: sending {1,number,#} bytes from offset {2,number,#}",
                                dump.dumpId(),
                                length,
                                first);
                        send(file, first, length, exchange.getResponseBody(), transfer);
                    }
                }
            }
        } catch (FileSystemException goneOrALink) {
            Responses.send(exchange, 404, NO_SUCH_DUMP);
        }
    }

    /** Sets the headers that describe the bytes served; returns the response headers. */
    private static Headers describe(HttpExchange exchange, Optional<ByteRange> range, long size) {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/octet-stream");
        headers.set("Accept-Ranges", "bytes");
        range.ifPresent(r -> headers.set("Content-Range", r.contentRange(size)));
        return headers;
    }

    private static void refuse(
            HttpExchange exchange, AnnouncedDump dump, TransferSlots.Refused refused)
            throws IOException {
        // Counted in dumpflow_sidecar_transfers_refused_total; at INFO a flood would flood the log.
        LOG.log(
                System.Logger.Level.DEBUG,
                "dump {0}: GET refused, {1}",
                dump.dumpId(),
                refused.reason().label());
        var headers = exchange.getResponseHeaders();
        headers.set("Retry-After", RETRY_AFTER_SECONDS);
        // A refused client gets its connection closed too, so that waiting costs nothing here.
        headers.set("Connection", "close");
        Responses.send(
                exchange,
                503,
                switch (refused.reason()) {
                    case BUSY ->
                            "every transfer is in use; retry after " + RETRY_AFTER_SECONDS + " s";
                    case DUMP_BUSY ->
                            "every transfer of this dump is in use; retry after "
                                    + RETRY_AFTER_SECONDS
                                    + " s";
                });
    }

    private void send(
            FileChannel file, long first, long length, OutputStream out, Transfer transfer)
            throws IOException {
        byte[] chunk = transfer.buffer();
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        long position = first;
        long end = first + length;
        while (position < end) {
            buffer.clear().limit((int) Math.min(chunk.length, end - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new IOException("file shrank while being sent");
            }
            for (int offset = 0; offset < read; offset += SLICE) {
                out.write(chunk, offset, Math.min(SLICE, read - offset));
                transfer.progressed();
            }
            metrics.bytesServed(read);
            position += read;
        }
    }
}
