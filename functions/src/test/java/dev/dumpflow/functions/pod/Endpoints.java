package dev.dumpflow.functions.pod;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Ports on the host's end of the pod network, and waiting for a container's endpoint. */
final class Endpoints {

    private Endpoints() {}

    /** A port free now on that address. */
    static int freePort(InetAddress host) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, host)) {
            return probe.getLocalPort();
        }
    }

    /** Waits until the URI answers 200, or fails saying what it answered last. */
    static void awaitOk(HttpClient http, URI uri, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(uri + " did not answer 200 within " + timeout + ": " + last);
    }
}
