package dev.dumpflow.functions.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real Slack incoming-webhook stand-in on loopback: records every posted body with its arrival
 * time, answers 200 {@code ok}, or whatever answers a test queued (429 with Retry-After, 500).
 */
public final class SlackRecorder implements AutoCloseable {

    /** The part of the webhook URL that Slack treats as the secret. */
    public static final String SECRET_PATH =
            "/services/T0DUMPFLOW/B0SECRET/xoxSecretWebhookToken42";

    /** A post as received. */
    public record Post(Instant at, String body, int answered) {}

    /** An answer to give instead of 200. */
    public record Answer(int status, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private volatile BooleanSupplier holdUntil = () -> true;
    private volatile Duration holdAtMost = Duration.ZERO;
    private final AtomicInteger heldInVain = new AtomicInteger();

    public SlackRecorder() {
        this(InetAddress.getLoopbackAddress());
    }

    /** A recorder listening on {@code address}, for senders outside this host's loopback. */
    public SlackRecorder(InetAddress address) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(
                "/",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    Instant arrived = Instant.now();
                    awaitRelease();
                    Answer answer = answers.poll();
                    int status = answer == null ? 200 : answer.status();
                    if (!exchange.getRequestURI().getPath().equals(SECRET_PATH)) {
                        status = 404;
                    }
                    posts.add(new Post(arrived, body, status));
                    if (answer != null) {
                        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    }
                    byte[] reply =
                            (status == 200 ? "ok" : "error").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, reply.length);
                    exchange.getResponseBody().write(reply);
                    exchange.close();
                });
        server.start();
    }

    /** The webhook URL to configure, secret path included. */
    public String webhookUrl() {
        return "http://"
                + server.getAddress().getAddress().getHostAddress()
                + ":"
                + server.getAddress().getPort()
                + SECRET_PATH;
    }

    /** Queues an answer for the next post. */
    public void answerNext(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers));
    }

    /**
     * Holds every answer until {@code until} holds, at most {@code atMost}; a post that waited in
     * vain is counted ({@link #heldInVain()}). Tells whether the sender did something else while
     * its post was in flight.
     */
    public void holdAnswersUntil(BooleanSupplier until, Duration atMost) {
        this.holdUntil = until;
        this.holdAtMost = atMost;
    }

    /** Posts whose answer was held for the whole of {@link #holdAnswersUntil}'s bound. */
    public int heldInVain() {
        return heldInVain.get();
    }

    private void awaitRelease() {
        long deadline = System.nanoTime() + holdAtMost.toNanos();
        while (!holdUntil.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                heldInVain.incrementAndGet();
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every post so far, in arrival order. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Waits until at least {@code count} posts arrived, or the timeout passed. */
    public List<Post> awaitPosts(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (posts.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        return posts();
    }

    /** Forgets posts and queued answers between tests. */
    public void reset() {
        posts.clear();
        answers.clear();
        holdUntil = () -> true;
        holdAtMost = Duration.ZERO;
        heldInVain.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
