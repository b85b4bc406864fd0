package dev.dumpflow.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that never finish their request, or sit idle, are closed by the sidecar. The JDK's
 * HTTP server reads these limits once per process, so the sidecar runs as its own process here,
 * with a header and idle timeout of one second.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConnectionTimeoutsTest {

    /** The JDK server sweeps idle and silent connections every 10 s: one sweep, and some slack. */
    static final Duration SWEPT_WITHIN = Duration.ofSeconds(16);

    static final ExecutorService BACKGROUND = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir static Path dir;

    static SidecarProcess sidecar;
    static int port;

    @BeforeAll
    static void startSidecar() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        int down;
        try (ServerSocket probe = new ServerSocket(0)) {
            down = probe.getLocalPort();
        }
        sidecar =
                SidecarProcess.start(
                        Map.of(
                                "K_SINK", "http://127.0.0.1:" + down + "/",
                                "DUMPFLOW_DUMP_DIRS",
                                        Files.createDirectories(dir.resolve("dumps")).toString(),
                                "DUMPFLOW_PORT", Integer.toString(port),
                                "DUMPFLOW_ADVERTISE_HOST", "127.0.0.1",
                                "DUMPFLOW_PROCESS_MATCH", "^no process has this command line$",
                                "DUMPFLOW_HEADER_TIMEOUT", "1s",
                                "DUMPFLOW_IDLE_TIMEOUT", "1s"),
                        dir.resolve("sidecar.log"));
        sidecar.await(Pattern.compile("sidecar started"), 1, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopSidecar() {
        BACKGROUND.shutdownNow();
        sidecar.close();
    }

    static Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * How long until the server closes the connection, reading whatever it sends meanwhile; fails
     * when it is still open after {@code bound}.
     */
    static Duration untilClosed(Socket socket, Duration bound) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(Math.toIntExact(bound.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // What the server answered, if anything, before closing.
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection is still open after " + bound);
        } catch (SocketException reset) {
            // Closed with something unread.
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aRequestSentAByteAtATimeIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket slowloris = connect()) {
            OutputStream out = slowloris.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            Future<?> trickle =
                    BACKGROUND.submit(
                            () -> {
                                // One more byte of the never-ending header every 200 ms.
                                for (int i = 0; i < 100; i++) {
                                    out.write('a');
                                    out.flush();
                                    Thread.sleep(200);
                                }
                                return null;
                            });
            try {
                assertThat(untilClosed(slowloris, Duration.ofSeconds(8)))
                        .isLessThan(Duration.ofSeconds(8));
            } finally {
                trickle.cancel(true);
            }
        }
    }

    @Test
    void connectionsThatSendNothingOrSitIdleAfterARequestAreClosed() throws Exception {
        try (Socket silent = connect();
                Socket idle = connect()) {
            idle.getOutputStream()
                    .write(
                            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            // The answer arrives; the connection is kept alive, then idles.
            byte[] head = idle.getInputStream().readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 ");

            Future<Duration> silentClosed =
                    BACKGROUND.submit(() -> untilClosed(silent, SWEPT_WITHIN));

            assertThat(untilClosed(idle, SWEPT_WITHIN)).isLessThan(SWEPT_WITHIN);
            assertThat(silentClosed.get()).isLessThan(SWEPT_WITHIN);
        }
    }
}
