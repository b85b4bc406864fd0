package dev.dumpflow.sidecar.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD|DELETE /dumps/{dumpId}}: serves and deletes announced dumps only, for the bearer
 * of the dump's token. The id is looked up in the registry and never turned into a path, so no
 * request can reach another file.
 */
final class DumpsHandler implements HttpHandler {

    static final String PREFIX = "/dumps/";

    private static final System.Logger LOG = System.getLogger(DumpsHandler.class.getName());
    private static final Pattern RAW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    // Under the C library's mmap threshold (128 KiB): the NIO temporary buffers of a read and a
    // write this size come from the heap arena and are reused, not mapped and unmapped per chunk.
    private static final int CHUNK = 64 * 1024;

    private final AnnouncedDumps dumps;
    private final Clock clock;
    private final SidecarMetrics metrics;

    DumpsHandler(AnnouncedDumps dumps, Clock clock, SidecarMetrics metrics) {
        this.dumps = dumps;
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
            if (found.isEmpty()
                    || !Files.isRegularFile(found.get().file(), LinkOption.NOFOLLOW_LINKS)) {
                Responses.send(exchange, 404, "no such dump");
                return;
            }
            AnnouncedDump dump = found.get();
            if (!authorised(exchange, dump)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dump {0}: refused {1}, no valid token",
                        dump.dumpId(),
                        method);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dumpflow\"");
                Responses.send(exchange, 401, "a valid bearer token for this dump is needed");
                return;
            }
            if (method.equals("DELETE")) {
                delete(exchange, dump);
            } else {
                serve(exchange, dump, method.equals("HEAD"));
            }
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
        try {
            Files.deleteIfExists(dump.file());
        } finally {
            dumps.remove(dump.dumpId());
        }
        LOG.log(
                System.Logger.Level.INFO,
                "dump {0}: deleted {1} on request",
                dump.dumpId(),
                dump.fileName());
        exchange.sendResponseHeaders(204, -1);
    }

    private void serve(HttpExchange exchange, AnnouncedDump dump, boolean headOnly)
            throws IOException {
        try (FileChannel file =
                FileChannel.open(dump.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = file.size();
            Optional<ByteRange> range;
            try {
                range = ByteRange.of(exchange.getRequestHeaders().getFirst("Range"), size);
            } catch (ByteRange.Unsatisfiable outside) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                Responses.send(exchange, 416, "range not satisfiable");
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/octet-stream");
            headers.set("Accept-Ranges", "bytes");
            long first = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            range.ifPresent(r -> headers.set("Content-Range", r.contentRange(size)));
            int status = range.isPresent() ? 206 : 200;
            if (headOnly) {
                headers.set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            LOG.log(
                    System.Logger.Level.INFO,
                    "dump {0}: sending {1,number,#} bytes from offset {2,number,#}",
                    dump.dumpId(),
                    length,
                    first);
            copy(file, first, length, exchange.getResponseBody());
        } catch (FileSystemException goneOrALink) {
            Responses.send(exchange, 404, "no such dump");
        }
    }

    private void copy(FileChannel file, long first, long length, OutputStream out)
            throws IOException {
        var buffer = java.nio.ByteBuffer.allocate(CHUNK);
        long position = first;
        long end = first + length;
        while (position < end) {
            buffer.clear().limit((int) Math.min(CHUNK, end - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new IOException("file shrank while being sent");
            }
            out.write(buffer.array(), 0, read);
            metrics.bytesServed(read);
            position += read;
        }
    }
}
