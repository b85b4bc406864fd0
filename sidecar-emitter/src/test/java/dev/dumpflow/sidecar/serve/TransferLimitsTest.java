package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file server's transfers are capped, globally and per dump, and a client that stops reading
 * loses its transfer: clients holding a valid token cannot keep an archive from its dump.
 */
@Timeout(60)
class TransferLimitsTest {

    /** Far more than the socket buffers of a loopback connection hold. */
    static final long SIZE = 64L * 1024 * 1024;

    @TempDir Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    final SidecarMetrics metrics = new SidecarMetrics();
    final List<Socket> held = new ArrayList<>();
    AnnouncedDumps registry;
    DumpFileServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Serves {@code count} announced sparse dumps of {@link #SIZE} under the limits. */
    List<AnnouncedDump> serve(ServeLimits limits, int count) throws IOException {
        registry =
                AnnouncedDumps.open(dir.resolve(".state"), Duration.ofHours(1), Clock.systemUTC());
        List<AnnouncedDump> dumps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("heap" + i + ".hprof");
            try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
                sparse.setLength(SIZE);
            }
            dumps.add(
                    Announcing.announce(
                            registry,
                            "20261122T04000000" + i + "Z-abcdef01234" + i,
                            file,
                            SIZE,
                            0,
                            Clock.systemUTC().instant(),
                            DumpFormat.HPROF,
                            DumpCause.MANUAL,
                            null));
        }
        server = DumpFileServer.bind(0, limits, registry, Clock.systemUTC(), metrics);
        server.start();
        return dumps;
    }

    /**
     * Sends a GET on a connection of its own and reads its status line only, never the body: once
     * the socket buffers are full, the server's send makes no progress.
     */
    Socket holdGet(AnnouncedDump dump) throws IOException {
        Socket socket = new Socket();
        held.add(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(10_000);
        socket.getOutputStream()
                .write(
                        ("GET /dumps/"
                                        + dump.dumpId()
                                        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                        + dump.token()
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder status = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
            status.append((char) c);
        }
        assertThat(status.toString()).isEqualTo("HTTP/1.1 200 OK");
        return socket;
    }

    HttpResponse<String> get(AnnouncedDump dump, String range) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + server.port()
                                                + "/dumps/"
                                                + dump.dumpId()))
                        .header("Authorization", "Bearer " + dump.token())
                        .header("Range", range)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long sample(String name) {
        return metrics.render(0)
                .lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToLong(line -> Long.parseLong(line.substring(name.length() + 1)))
                .findFirst()
                .orElse(-1);
    }

    @Test
    void aGetBeyondTheTransferCapIsAnswered503WithRetryAfter() throws Exception {
        List<AnnouncedDump> dumps = serve(ServeLimits.DEFAULT.withTransfers(2, 1), 3);
        holdGet(dumps.get(0));
        holdGet(dumps.get(1));

        HttpResponse<String> third = get(dumps.get(2), "bytes=0-99");

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After"))
                .hasValue(DumpsHandler.RETRY_AFTER_SECONDS);
        assertThat(sample("dumpflow_sidecar_transfers_active")).isEqualTo(2);
        assertThat(sample("dumpflow_sidecar_transfers_refused_total{reason=\"busy\"}"))
                .isEqualTo(1);
    }

    @Test
    void aGetBeyondTheCapOfOneDumpIsAnswered503WhileAnotherDumpIsServed() throws Exception {
        List<AnnouncedDump> dumps = serve(ServeLimits.DEFAULT.withTransfers(4, 2), 2);
        holdGet(dumps.get(0));
        holdGet(dumps.get(0));

        HttpResponse<String> third = get(dumps.get(0), "bytes=0-99");
        HttpResponse<String> other = get(dumps.get(1), "bytes=0-99");

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After"))
                .hasValue(DumpsHandler.RETRY_AFTER_SECONDS);
        assertThat(other.statusCode()).isEqualTo(206);
        assertThat(other.body()).hasSize(100);
        assertThat(sample("dumpflow_sidecar_transfers_refused_total{reason=\"dump-busy\"}"))
                .isEqualTo(1);
    }

    @Test
    void aClientThatReadsNothingIsCutAfterTheSendTimeoutAndItsTransferFreed() throws Exception {
        AnnouncedDump dump =
                serve(
                                ServeLimits.DEFAULT
                                        .withTransfers(1, 1)
                                        .withSendTimeout(Duration.ofMillis(500)),
                                1)
                        .getFirst();
        Socket stalled = holdGet(dump);
        assertThat(get(dump, "bytes=0-99").statusCode()).isEqualTo(503);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sample("dumpflow_sidecar_transfers_cut_total{reason=\"stalled\"}") < 1
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(sample("dumpflow_sidecar_transfers_cut_total{reason=\"stalled\"}")).isEqualTo(1);
        assertThat(bytesUntilClosed(stalled)).isLessThan(SIZE);
        HttpResponse<String> next = get(dump, "bytes=0-99");
        assertThat(next.statusCode()).isEqualTo(206);
    }

    /** Reads what the connection still has, until the server's close ends it. */
    static long bytesUntilClosed(Socket socket) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        InputStream in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (SocketException reset) {
            // Closed with bytes unsent: the kernel resets the connection.
        }
        return total;
    }
}
