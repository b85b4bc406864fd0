package dev.dumpflow.sidecar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/** Reads samples from a running sidecar's {@code GET /metrics}, as Prometheus would. */
final class MetricsScrape {

    private MetricsScrape() {}

    /**
     * The value of one sample, such as {@code dumpflow_sidecar_announcements_total} or {@code
     * dumpflow_sidecar_captures_total{outcome="failed"}}; empty when the sidecar does not answer.
     */
    static OptionalLong sample(int port, String sample) throws InterruptedException {
        String body;
        try (HttpClient http = HttpClient.newHttpClient()) {
            body =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/metrics"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
        } catch (IOException notListening) {
            return OptionalLong.empty();
        }
        return body.lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToLong(line -> Long.parseLong(line.substring(sample.length() + 1)))
                .findFirst();
    }

    /** Waits until the sample reaches {@code atLeast}; returns the last value read. */
    static long await(int port, String sample, long atLeast, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = sample(port, sample).orElse(-1);
            if (last >= atLeast) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }
}
