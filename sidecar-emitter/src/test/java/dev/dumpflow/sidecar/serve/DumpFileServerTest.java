package dev.dumpflow.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dumpflow.events.DumpCause;
import dev.dumpflow.events.DumpFormat;
import dev.dumpflow.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileServerTest {

    /** A clock the test moves forward, to expire tokens without waiting. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-22T04:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir Path dir;

    final MovableClock clock = new MovableClock();
    final HttpClient http = HttpClient.newHttpClient();
    final byte[] content = new byte[300_000];
    AnnouncedDumps registry;
    DumpFileServer server;
    AnnouncedDump dump;

    @BeforeEach
    void serveOneAnnouncedDump() throws IOException {
        new Random(7).nextBytes(content);
        Path file = dir.resolve("heap.hprof");
        Files.write(file, content);
        registry = AnnouncedDumps.open(dir.resolve(".state"), Duration.ofHours(1), clock);
        dump =
                Announcing.announce(
                        registry,
                        "20261122T040000000Z-abcdef012345",
                        file,
                        content.length,
                        0,
                        clock.instant(),
                        DumpFormat.HPROF,
                        DumpCause.MANUAL,
                        null);
        server = DumpFileServer.bind(0, ServeLimits.DEFAULT, registry, clock, new SidecarMetrics());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<byte[]> send(String method, String path, String token, String range)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String token, String range) throws Exception {
        return send("GET", "/dumps/" + dump.dumpId(), token, range);
    }

    /** The status line of a request sent byte for byte, so no client tidies the path first. */
    String rawStatus(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET "
                                    + path
                                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                    + dump.token()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }

    @Test
    void servesTheAnnouncedFileByteIdenticalToTheBearerOfItsToken() throws Exception {
        HttpResponse<byte[]> response = get(dump.token(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.body()).isEqualTo(content);
    }

    String wrongToken() {
        // One character changed, to one it surely differs from (a random token has 'x' there once
        // in 64 runs).
        char other = dump.token().charAt(10) == 'x' ? 'y' : 'x';
        return dump.token().substring(0, 10) + other + dump.token().substring(11);
    }

    @Test
    void refusesAMissingAWrongOrAnotherSchemesTokenAsIfTheDumpDidNotExist() throws Exception {
        for (HttpResponse<byte[]> refused :
                new HttpResponse[] {get(null, null), get(wrongToken(), null), get("", null)}) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).isNotEqualTo(content);
        }
        HttpResponse<byte[]> basic =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + server.port()
                                                        + "/dumps/"
                                                        + dump.dumpId()))
                                .header("Authorization", "Basic " + dump.token())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(basic.statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownIdAndAKnownIdWithoutItsTokenGetTheSameAnswer() throws Exception {
        String unknownId = "/dumps/20261122T040000000Z-000000000000";
        String knownId = "/dumps/" + dump.dumpId();
        for (String method : new String[] {"GET", "HEAD", "DELETE"}) {
            HttpResponse<byte[]> unknown = send(method, unknownId, dump.token(), null);
            assertThat(unknown.statusCode()).as(method).isEqualTo(404);
            for (String token : new String[] {wrongToken(), null, "not base64!"}) {
                HttpResponse<byte[]> refused = send(method, knownId, token, null);
                assertThat(refused.statusCode()).as(method).isEqualTo(unknown.statusCode());
                assertThat(refused.body()).as(method).isEqualTo(unknown.body());
                assertThat(refused.headers().map())
                        .as(method)
                        .doesNotContainKey("www-authenticate")
                        .containsEntry("content-type", unknown.headers().allValues("content-type"));
            }
        }
        clock.now = dump.expiresAt();
        HttpResponse<byte[]> expired = get(dump.token(), null);
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(expired.body()).isEqualTo(send("GET", unknownId, null, null).body());
        assertThat(dump.file()).exists();
    }

    @Test
    void anUnknownIdIsNotFoundEvenWithAValidTokenOfAnotherDump() throws Exception {
        assertThat(
                        send("GET", "/dumps/20261122T040000000Z-000000000000", dump.token(), null)
                                .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/elsewhere", dump.token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void pathTraversalReachesNothing() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "secret");
        for (String path :
                new String[] {
                    "/dumps/..%2f..%2fetc%2fpasswd",
                    "/dumps/../../etc/passwd",
                    "/dumps/%2e%2e/secret.txt",
                    "/dumps/" + dump.dumpId() + "/../secret.txt",
                    "/dumps/heap.hprof",
                    "/dumps/" + dump.dumpId() + "%00",
                    "/dumps/.state/announcements.json",
                    "/dumps/" + dir.resolve("secret.txt"),
                }) {
            assertThat(rawStatus(path)).as(path).matches("HTTP/1.1 (400|404) .*");
        }
    }

    @Test
    void aFileReplacedByASymbolicLinkIsNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.delete(dump.file());
        Files.createSymbolicLink(dump.file(), secret);

        assertThat(get(dump.token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void answersSingleRangesWith206AndContentRange() throws Exception {
        HttpResponse<byte[]> middle = get(dump.token(), "bytes=100-199");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range"))
                .hasValue("bytes 100-199/" + content.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));

        HttpResponse<byte[]> tail = get(dump.token(), "bytes=299000-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 299_000, content.length));

        HttpResponse<byte[]> suffix = get(dump.token(), "bytes=-10");
        assertThat(suffix.headers().firstValue("Content-Range"))
                .hasValue("bytes 299990-299999/" + content.length);
        assertThat(suffix.body())
                .isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));

        HttpResponse<byte[]> pastTheEnd = get(dump.token(), "bytes=0-999999999");
        assertThat(pastTheEnd.statusCode()).isEqualTo(206);
        assertThat(pastTheEnd.body()).isEqualTo(content);
    }

    @Test
    void anUnsatisfiableRangeIs416() throws Exception {
        for (String range : new String[] {"bytes=300000-", "bytes=500-400", "bytes=-0"}) {
            HttpResponse<byte[]> response = get(dump.token(), range);
            assertThat(response.statusCode()).as(range).isEqualTo(416);
            assertThat(response.headers().firstValue("Content-Range"))
                    .hasValue("bytes */" + content.length);
        }
    }

    @Test
    void headTellsTheSizeWithoutABody() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/dumps/" + dump.dumpId(), dump.token(), null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(content.length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void deleteWithTheTokenRemovesTheFileAndTheAnnouncement() throws Exception {
        assertThat(send("DELETE", "/dumps/" + dump.dumpId(), "wrong", null).statusCode())
                .isEqualTo(404);
        assertThat(dump.file()).exists();

        assertThat(send("DELETE", "/dumps/" + dump.dumpId(), dump.token(), null).statusCode())
                .isEqualTo(204);
        assertThat(dump.file()).doesNotExist();
        assertThat(registry.find(dump.dumpId())).isEmpty();
        assertThat(AnnouncedDumps.open(dir.resolve(".state"), Duration.ofHours(1), clock).all())
                .isEmpty();
        assertThat(get(dump.token(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void healthzAnswers503UntilTheSidecarIsReadyThen200() throws Exception {
        HttpResponse<byte[]> starting = send("GET", "/healthz", null, null);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(new String(starting.body(), StandardCharsets.UTF_8)).isEqualTo("starting\n");

        server.ready();

        assertThat(send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherFeatureCanRegisterARoute() throws Exception {
        server.close();
        server = DumpFileServer.bind(0, ServeLimits.DEFAULT, registry, clock, new SidecarMetrics());
        server.handle(
                "/captures",
                exchange -> {
                    try (exchange) {
                        exchange.sendResponseHeaders(202, -1);
                    }
                });
        server.start();
        assertThat(send("POST", "/captures", null, null).statusCode()).isEqualTo(202);
    }

    @Test
    void tokensAre256RandomBitsAndDifferPerDump() throws IOException {
        AnnouncedDump other =
                Announcing.announce(
                        registry,
                        "20261122T040000001Z-abcdef012346",
                        dir.resolve("other.hprof"),
                        1,
                        0,
                        clock.instant(),
                        DumpFormat.HPROF,
                        DumpCause.MANUAL,
                        null);
        assertThat(java.util.Base64.getUrlDecoder().decode(dump.token())).hasSize(32);
        assertThat(other.token()).isNotEqualTo(dump.token());
        assertThat(dump.toString()).doesNotContain(dump.token());
    }
}
