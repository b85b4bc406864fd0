package dev.dumpflow.sidecar.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.sidecar.RecordingReceiver;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEventPosterTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    final CloudEvent event =
            new EventComposer(Samples.pod(), Map.of("team", "payments"), Clock.systemUTC())
                    .compose(
                            EventTypes.DUMP_CLOSED,
                            Samples.dumpClosed().dumpId(),
                            Samples.dumpClosed().dumpId(),
                            Samples.dumpClosed());

    @Test
    void postsTheEventInBinaryModeAndReturnsTheStatus() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver().answering(503)) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT);

            assertThat(poster.post(event)).isEqualTo(503);
            assertThat(poster.post(event)).isEqualTo(202);

            assertThat(receiver.received()).hasSize(2);
            RecordingReceiver.Received got = receiver.received().getLast();
            assertThat(got.headers())
                    .containsEntry("ce-type", EventTypes.DUMP_CLOSED)
                    .containsEntry("ce-team", "payments")
                    .containsEntry("content-type", EventTypes.DATA_CONTENT_TYPE);
            assertThat(got.event().getId()).isEqualTo(event.getId());
            assertThat(got.event().getData().toBytes()).isEqualTo(event.getData().toBytes());
        }
    }

    @Test
    void answersARedirectWithItsStatusInsteadOfFollowingIt() throws Exception {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        exchange.getRequestBody().readAllBytes();
                        exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/");
                        exchange.sendResponseHeaders(307, -1);
                    }
                });
        server.start();
        try {
            URI sink = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThat(new HttpEventPoster(sink, TIMEOUT).post(event)).isEqualTo(307);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsAnIOException() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        HttpEventPoster poster =
                new HttpEventPoster(URI.create("http://127.0.0.1:" + port), TIMEOUT);
        assertThatThrownBy(() -> poster.post(event)).isInstanceOf(IOException.class);
    }

    @Test
    void aSinkThatNeverAnswersIsAnIOExceptionAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI sink = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            HttpEventPoster poster = new HttpEventPoster(sink, Duration.ofMillis(300));
            Thread accept =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try (Socket held = silent.accept()) {
                                            Thread.sleep(5_000);
                                        } catch (IOException | InterruptedException ignored) {
                                            // the test is over
                                        }
                                    });
            assertThatThrownBy(() -> poster.post(event)).isInstanceOf(IOException.class);
            accept.interrupt();
        }
    }

    @Test
    void anInterruptedThreadDoesNotStartAPost() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> poster.post(event)).isInstanceOf(InterruptedException.class);
            assertThat(receiver.received()).isEmpty();
        }
    }
}
