package dev.dumpflow.functions.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.events.Samples;
import dev.dumpflow.functions.FunctionFailure;
import io.cloudevents.CloudEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter handler's POST to K_SINK, against a real HTTP server on loopback. */
class FailedEventSenderTest {

    @TempDir Path dir;

    /** The Authorization header of each request, empty when it had none. */
    final List<Optional<String>> authorizations = new CopyOnWriteArrayList<>();

    final List<String> types = new CopyOnWriteArrayList<>();
    HttpServer broker;
    URI sink;

    @BeforeEach
    void startBroker() throws Exception {
        broker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        broker.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        exchange.getRequestBody().readAllBytes();
                        authorizations.add(
                                Optional.ofNullable(
                                        exchange.getRequestHeaders().getFirst("Authorization")));
                        types.add(exchange.getRequestHeaders().getFirst("ce-type"));
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
        broker.start();
        sink =
                URI.create(
                        "http://127.0.0.1:" + broker.getAddress().getPort() + "/dumpflow/default");
    }

    @AfterEach
    void stopBroker() {
        broker.stop(0);
    }

    FailedEventSender senderWith(Path tokenFile) {
        return new FailedEventSender(
                new ObjectMapper().registerModule(new JavaTimeModule()), tokenFile);
    }

    CloudEvent event(FailedEventSender sender) {
        return sender.event(Samples.dumpFailed());
    }

    @Test
    void presentsTheFunctionsTokenAsBearerAndReadsItAgainAfterRotation() throws Exception {
        Path token = dir.resolve("oidc/token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, "eyJ.functions.first\n");
        FailedEventSender sender = senderWith(token);

        sender.send(event(sender), sink);
        Path next = dir.resolve("oidc/.next");
        Files.writeString(next, "eyJ.functions.second");
        Files.move(next, token, StandardCopyOption.ATOMIC_MOVE);
        sender.send(event(sender), sink);

        assertThat(authorizations)
                .containsExactly(
                        Optional.of("Bearer eyJ.functions.first"),
                        Optional.of("Bearer eyJ.functions.second"));
        assertThat(types).containsOnly(EventTypes.DUMP_FAILED);
    }

    @Test
    void sendsNoAuthorizationWithoutTheTokenFile() {
        FailedEventSender sender = senderWith(dir.resolve("no-such-token"));

        sender.send(event(sender), sink);

        assertThat(authorizations).containsExactly(Optional.empty());
    }

    @Test
    void aTokenFileThatCannotBeReadIsUnavailableAndNothingIsPosted() throws Exception {
        Path token = Files.createDirectories(dir.resolve("oidc/token"));
        FailedEventSender sender = senderWith(token);

        assertThatThrownBy(() -> sender.send(event(sender), sink))
                .isInstanceOfSatisfying(
                        FunctionFailure.class,
                        e -> assertThat(e.kind()).isEqualTo(FunctionFailure.Kind.UNAVAILABLE))
                .hasMessageContaining(token.toString());
        assertThat(authorizations).isEmpty();
    }

    @Test
    void aTokenNoHeaderMayCarryIsRefusedWithoutQuotingIt() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJ.secret\r\nX-Injected: yes");
        FailedEventSender sender = senderWith(token);

        assertThatThrownBy(() -> sender.send(event(sender), sink))
                .isInstanceOf(FunctionFailure.class)
                .hasMessageContaining(token.toString())
                .message()
                .doesNotContain("secret", "Injected");
        assertThat(authorizations).isEmpty();
    }
}
