package dev.dumpflow.functions.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a real SMTP server (GreenMail) that can stall connections: a
 * stalled one is accepted and then never greeted, as when the mail client loses a new connection's
 * greeting or a server hangs. Every other connection is piped to the server as is.
 */
public final class StallingSmtp implements AutoCloseable {

    /** A connection as accepted. */
    public record Connection(Instant at, boolean stalled) {}

    private final ServerSocket listener;
    private final int serverPort;
    private final AtomicInteger toStall = new AtomicInteger();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public StallingSmtp(int serverPort) {
        this.serverPort = serverPort;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("stalling-smtp").start(this::accept);
    }

    /** The port mail clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Stalls the next {@code n} connections ({@link Integer#MAX_VALUE}: all), relays the rest. */
    public void stallNext(int n) {
        toStall.set(n);
    }

    /** Every connection accepted so far, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Forgets the connections seen and stalls none. */
    public void reset() {
        toStall.set(0);
        connections.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                boolean stall = toStall.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
                connections.add(new Connection(Instant.now(), stall));
                if (!stall) {
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                    open.add(server);
                    pipe(client.getInputStream(), server.getOutputStream(), server);
                    pipe(server.getInputStream(), client.getOutputStream(), client);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to, Socket closeAtEnd) {
        Thread.ofVirtual()
                .start(
                        () -> {
                            try (closeAtEnd) {
                                from.transferTo(to);
                            } catch (IOException ended) {
                                // one side closed: the other is closed with it
                            }
                        });
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
