package dev.dumpflow.functions.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a real server, that can start failing large requests: once
 * {@link #failAfter} bytes went upstream, any connection carrying more than 64 KiB more is reset.
 * Part uploads then fail as if S3 went away in the middle, while small requests (abort, list) pass.
 */
final class FaultyLink implements AutoCloseable {

    private static final long SMALL_REQUESTS = 64 * 1024;

    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long threshold = Long.MAX_VALUE;

    private FaultyLink(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    static FaultyLink to(int upstreamPort) throws IOException {
        FaultyLink link =
                new FaultyLink(
                        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstreamPort);
        Thread.ofVirtual().start(link::accept);
        return link;
    }

    int port() {
        return server.getLocalPort();
    }

    /** From {@code bytes} more bytes on, large requests are cut. */
    void failAfter(long bytes) {
        threshold = upstreamBytes.get() + bytes;
    }

    void heal() {
        threshold = Long.MAX_VALUE;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstreamward) {
        long sinceFailing = -1;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (upstreamward) {
                    long total = upstreamBytes.addAndGet(n);
                    if (total > threshold) {
                        sinceFailing = sinceFailing < 0 ? n : sinceFailing + n;
                        if (sinceFailing > SMALL_REQUESTS) {
                            reset(from);
                            reset(to);
                            return;
                        }
                    }
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the other side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(FaultyLink::reset);
    }
}
