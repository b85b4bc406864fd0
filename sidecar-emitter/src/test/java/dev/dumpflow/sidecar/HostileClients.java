package dev.dumpflow.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that hold a dump's valid token and use it against the sidecar: some never read the body
 * they asked for, others read it at a trickle. Each one asks again, without waiting for
 * Retry-After, whenever it is refused or cut, until {@link #close()}.
 */
final class HostileClients implements AutoCloseable {

    private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(500);

    private final int port;
    private final byte[] request;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();

    private HostileClients(int port, String path, String token) {
        this.port = port;
        this.request =
                ("GET "
                                + path
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                + token
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Starts {@code idle} clients that read nothing once admitted (each holds on for {@code hold},
     * then asks again) and {@code slow} clients that read at {@code bytesPerSecond}.
     */
    static HostileClients start(
            int port,
            String path,
            String token,
            int idle,
            int slow,
            Duration hold,
            long bytesPerSecond) {
        HostileClients clients = new HostileClients(port, path, token);
        for (int i = 0; i < idle; i++) {
            clients.threads.add(
                    Thread.ofVirtual().start(() -> clients.loop(in -> Thread.sleep(hold))));
        }
        for (int i = 0; i < slow; i++) {
            clients.threads.add(
                    Thread.ofVirtual()
                            .start(() -> clients.loop(in -> clients.trickle(in, bytesPerSecond))));
        }
        return clients;
    }

    /** What an admitted client does with the body. */
    private interface Reader {
        void read(InputStream in) throws IOException, InterruptedException;
    }

    private void loop(Reader reader) {
        while (running.get()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                requests.incrementAndGet();
                InputStream in = socket.getInputStream();
                String status = statusLine(in);
                if (status.startsWith("HTTP/1.1 200")) {
                    admitted.incrementAndGet();
                    reader.read(in);
                    continue;
                }
                refused.incrementAndGet();
            } catch (IOException refusedOrCut) {
                // Cut or turned away at the door: ask again, as an attacker would.
            } catch (InterruptedException stopped) {
                return;
            }
            try {
                Thread.sleep(PAUSE_AFTER_REFUSAL);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void trickle(InputStream in, long bytesPerSecond)
            throws IOException, InterruptedException {
        byte[] buffer = new byte[16 * 1024];
        long start = System.nanoTime();
        long total = 0;
        while (running.get()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            total += n;
            long dueNanos = total * 1_000_000_000L / bytesPerSecond;
            long aheadNanos = dueNanos - (System.nanoTime() - start);
            if (aheadNanos > 0) {
                Thread.sleep(Duration.ofNanos(aheadNanos));
            }
        }
    }

    /** Reads up to the end of the status line only: an idle client reads nothing more. */
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    /** GETs sent so far. */
    long requests() {
        return requests.get();
    }

    /** GETs answered with something other than 200 (the sidecar's 503). */
    long refused() {
        return refused.get();
    }

    /** GETs answered 200. */
    long admitted() {
        return admitted.get();
    }

    /** Stops every client and closes its connection. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
        }
    }
}
