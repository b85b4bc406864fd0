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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpEventPosterTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir Path dir;

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
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, noToken());

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
            assertThat(new HttpEventPoster(sink, TIMEOUT, noToken()).post(event)).isEqualTo(307);
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
                new HttpEventPoster(URI.create("http://127.0.0.1:" + port), TIMEOUT, noToken());
        assertThatThrownBy(() -> poster.post(event)).isInstanceOf(IOException.class);
    }

    @Test
    void aSinkThatNeverAnswersIsAnIOExceptionAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI sink = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            HttpEventPoster poster = new HttpEventPoster(sink, Duration.ofMillis(300), noToken());
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
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, noToken());
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> poster.post(event)).isInstanceOf(InterruptedException.class);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void presentsTheTokenFileAsBearerAndReadsItAgainAfterRotation() throws Exception {
        Path token = dir.resolve("oidc/token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, "eyJ.first.token\n");
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, token);

            assertThat(poster.post(event)).isEqualTo(202);
            // Rotated as the kubelet does it: the new content replaces the file in one step.
            Path next = dir.resolve("oidc/.next");
            Files.writeString(next, "eyJ.second.token");
            Files.move(next, token, StandardCopyOption.ATOMIC_MOVE);
            assertThat(poster.post(event)).isEqualTo(202);

            assertThat(receiver.received())
                    .extracting(r -> r.headers().get("authorization"))
                    .containsExactly("Bearer eyJ.first.token", "Bearer eyJ.second.token");
        }
    }

    @Test
    void sendsNoAuthorizationWithoutTheTokenFile() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, noToken());

            assertThat(poster.post(event)).isEqualTo(202);

            assertThat(receiver.received().getFirst().headers()).doesNotContainKey("authorization");
        }
    }

    @Test
    void aTokenFileThatCannotBeReadFailsTheSendBeforeAnythingIsPosted() throws Exception {
        // A directory where the file should be: it exists, and reading it fails even as root.
        Path token = Files.createDirectories(dir.resolve("oidc/token"));
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, token);

            assertThatThrownBy(() -> poster.post(event))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(token.toString());
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void aTokenNoHeaderMayCarryFailsTheSendWithoutQuotingIt() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJ.secret\r\nX-Injected: yes");
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            HttpEventPoster poster = new HttpEventPoster(receiver.uri(), TIMEOUT, token);

            assertThatThrownBy(() -> poster.post(event))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(token.toString())
                    .message()
                    .doesNotContain("secret", "Injected");
            assertThat(receiver.received()).isEmpty();
        }
    }

    private Path noToken() {
        return dir.resolve("no-such-token");
    }
}
