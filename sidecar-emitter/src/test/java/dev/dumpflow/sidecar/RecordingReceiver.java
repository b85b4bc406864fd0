package dev.dumpflow.sidecar;

import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real CloudEvents receiver on loopback: records every POST (as a parsed binary-mode event and
 * its raw headers) and answers scripted statuses, then 202.
 */
public final class RecordingReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(CloudEvent event, Map<String, String> headers, int answeredWith) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();

    public RecordingReceiver() throws IOException {
        this(0);
    }

    /** A receiver on a chosen loopback port, for a sink that appears late. */
    public static RecordingReceiver onPort(int port) throws IOException {
        return new RecordingReceiver(port);
    }

    private RecordingReceiver(int port) throws IOException {
        server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        Map<String, String> headers = new HashMap<>();
                        exchange.getRequestHeaders()
                                .forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
                        int status;
                        synchronized (this) {
                            status = script.isEmpty() ? 202 : script.poll();
                        }
                        CloudEvent event = HttpMessageFactory.createReader(headers, body).toEvent();
                        synchronized (this) {
                            received.add(new Received(event, headers, status));
                            notifyAll();
                        }
                        exchange.sendResponseHeaders(status, -1);
                    }
                });
        server.start();
    }

    /** Answers these statuses to the next requests, in order. */
    public synchronized RecordingReceiver answering(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until a request matching the condition has arrived; fails after the timeout. */
    public synchronized Received await(Predicate<Received> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : received) {
                if (condition.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "no matching request within " + timeout + "; got " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
