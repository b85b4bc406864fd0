package dev.dumpflow.localstack.broker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP subscriber on loopback that records every request and answers with scripted responses
 * per path (202 when nothing is scripted).
 */
final class RecordingSubscriber implements AutoCloseable {

    /** One request as received. */
    record Received(String path, Map<String, String> headers, String body, long nanoTime) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String ceType() {
            return header("ce-type");
        }

        String ceId() {
            return header("ce-id");
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {

        static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }

        static Answer status(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Function<Received, Answer>> responders = new ConcurrentHashMap<>();

    RecordingSubscriber() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI url(String path) {
        return URI.create(baseUrl() + path);
    }

    /** Answers the next requests to a path with these answers, in order, then 202. */
    void script(String path, Answer... answers) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** Answers every request to a path with what the function makes of it. */
    void respond(String path, Function<Received, Answer> responder) {
        responders.put(path, responder);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            Received request = new Received(path, Map.copyOf(headers), body, System.nanoTime());
            received.add(request);
            Answer answer = answerFor(request);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private Answer answerFor(Received request) {
        Deque<Answer> queue = scripted.get(request.path());
        if (queue != null) {
            synchronized (queue) {
                if (!queue.isEmpty()) {
                    return queue.poll();
                }
            }
        }
        Function<Received, Answer> responder = responders.get(request.path());
        return responder != null ? responder.apply(request) : Answer.status(202);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
