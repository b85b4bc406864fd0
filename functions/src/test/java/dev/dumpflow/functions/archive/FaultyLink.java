package dev.dumpflow.functions.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback in front of a real server, that can start failing large requests: once
 * {@link #failAfter} bytes went upstream, any connection carrying more than 64 KiB more is reset.
 * Part uploads then fail as if S3 went away in the middle, while small requests (abort, list) pass.
 *
 * <p>It can also answer every request {@code 503 SlowDown} itself, as a throttling S3 does ({@link
 * #slowDown}), or stop listening so that connections are refused ({@link #refuse}), until {@link
 * #heal}.
 */
final class FaultyLink implements AutoCloseable {

    private static final long SMALL_REQUESTS = 64 * 1024;

    private static final byte[] SLOW_DOWN_BODY =
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                            + "<Message>Please reduce your request rate.</Message></Error>")
                    .getBytes(StandardCharsets.US_ASCII);

    private volatile ServerSocket server;
    private final int port;
    private final int upstreamPort;
    private volatile boolean slowDown;
    private final AtomicLong slowedDown = new AtomicLong();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long threshold = Long.MAX_VALUE;

    private FaultyLink(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.port = server.getLocalPort();
        this.upstreamPort = upstreamPort;
    }

    static FaultyLink to(int upstreamPort) throws IOException {
        FaultyLink link =
                new FaultyLink(
                        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstreamPort);
        Thread.ofVirtual().start(() -> link.accept(link.server));
        return link;
    }

    int port() {
        return port;
    }

    /**
     * Answers every request {@code 503 SlowDown} without passing it on. Open relayed connections
     * are cut, since a throttling S3 answers on every connection, and a client's pooled keep-alive
     * connections (the start-up probe opens some) would otherwise still reach the server.
     */
    void slowDown() {
        slowDown = true;
        sockets.forEach(FaultyLink::reset);
    }

    /** Bytes relayed towards the server so far. */
    long upstreamBytes() {
        return upstreamBytes.get();
    }

    /** How many requests were answered 503 SlowDown so far. */
    long slowedDown() {
        return slowedDown.get();
    }

    /** Stops listening and cuts open connections: S3 is unreachable, connections are refused. */
    void refuse() throws IOException {
        ServerSocket listening = server;
        server = null;
        if (listening != null) {
            listening.close();
        }
        sockets.forEach(FaultyLink::reset);
    }

    /** From {@code bytes} more bytes on, large requests are cut. */
    void failAfter(long bytes) {
        threshold = upstreamBytes.get() + bytes;
    }

    /** Back to relaying everything, listening again on the same port if it stopped. */
    void heal() throws IOException {
        threshold = Long.MAX_VALUE;
        slowDown = false;
        if (server == null) {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = listening;
            Thread.ofVirtual().start(() -> accept(listening));
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                if (slowDown) {
                    sockets.add(client);
                    Thread.ofVirtual().start(() -> answerSlowDown(client));
                    continue;
                }
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

    /**
     * Reads each request's head and body and answers 503 SlowDown on the same connection, as S3
     * does, so the client sees the status rather than a cut.
     */
    private void answerSlowDown(Socket client) {
        try (client;
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null || !slowDown) {
                    return; // healed: the client retries on a new, relayed connection
                }
                long length = contentLength(head);
                if (head.toLowerCase(java.util.Locale.ROOT).contains("expect: 100-continue")) {
                    length = 0; // the client waits for our answer before sending the body
                }
                in.skipNBytes(length);
                slowedDown.incrementAndGet();
                out.write(
                        ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
                                        + "Content-Length: "
                                        + SLOW_DOWN_BODY.length
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                if (!head.startsWith("HEAD ")) {
                    out.write(SLOW_DOWN_BODY);
                }
                out.flush();
                if (head.toLowerCase(java.util.Locale.ROOT).contains("expect: 100-continue")) {
                    return; // the unsent body makes the connection unusable: close it
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                return head.toString();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return 0;
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
        ServerSocket listening = server;
        if (listening != null) {
            listening.close();
        }
        sockets.forEach(FaultyLink::reset);
    }
}
