package dev.dumpflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * About a thousand mutated CloudEvents, seeded, against the running functions: each is refused with
 * a 4xx (never a 2xx, never a 5xx that the Broker would retry for ever), the process keeps serving,
 * and the bucket holds nothing from them, neither object nor multipart upload.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class HostileEventsTest {

    private static final long SEED = 8;
    private static final int EVENTS = 1_000;
    private static final DumpContent SMALL = DumpContent.generated(200_000, 3);
    private static SidecarStandIn sidecar;

    @Inject S3Client s3;
    @Inject ObjectMapper mapper;

    @TestHTTPResource("/")
    URI functions;

    @BeforeAll
    static void startSidecar() throws Exception {
        sidecar = SidecarStandIn.start();
    }

    @AfterAll
    static void stopSidecar() {
        sidecar.close();
    }

    @Test
    void everyMutatedEventIsRefused4xxAndLeavesNothingInTheBucket() throws Exception {
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, ArchiveRequests.TOKEN, SMALL);
        DumpClosed valid =
                ArchiveRequests.closed(
                        dumpId, SMALL.size(), sidecar.url(dumpId), ArchiveRequests.TOKEN);
        ObjectNode validData = mapper.valueToTree(valid);
        List<HostileEvents.Hostile> events =
                new HostileEvents(mapper, SEED, validData, sidecar.port()).generate(EVENTS);

        Map<String, Map<Integer, Integer>> byCategory = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> notRefused = new ArrayList<>();
        for (HostileEvents.Hostile event : events) {
            int status = send(event);
            byStatus.merge(status, 1, Integer::sum);
            byCategory
                    .computeIfAbsent(event.category(), c -> new TreeMap<>())
                    .merge(status, 1, Integer::sum);
            if (status / 100 != 4) {
                notRefused.add(status + " " + event.category() + ": " + event.what());
            }
        }
        System.out.printf(
                "HOSTILE %d events, by status %s%nHOSTILE by category %s%nHOSTILE not 4xx: %d%s%n",
                events.size(),
                byStatus,
                byCategory,
                notRefused.size(),
                notRefused.stream().limit(40).map(s -> "\n  " + s).reduce("", String::concat));

        assertThat(notRefused).as("events not answered 4xx").isEmpty();
        assertThat(storedObjects()).isEmpty();
        assertThat(ArchiveRequests.uploads(s3, S3ProxyResource.BUCKET)).isEmpty();
        assertThat(sidecar.requests()).as("no mutated event fetched the dump").isEmpty();

        // The process is still up and a valid event still works.
        assertThat(new ArchiveRequests(mapper).postBinary(valid).statusCode()).isEqualTo(200);
        assertThat(storedObjects())
                .as("the dump and its record")
                .hasSize(2)
                .allSatisfy(o -> assertThat(o).contains(dumpId));
    }

    /** The objects' keys, without the directories S3Proxy's file store lists as well. */
    private List<String> storedObjects() {
        return ArchiveRequests.objects(s3, S3ProxyResource.BUCKET, "").stream()
                .map(o -> o.key())
                .filter(key -> !key.endsWith("/"))
                .toList();
    }

    /**
     * The status, or 0 when the server dropped the connection without one. Each event has a
     * connection of its own, so that one the server closed after a refusal (a header too large) is
     * not reused for the next event.
     */
    private int send(HostileEvents.Hostile event) throws InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(functions)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
        event.headers().forEach(request::header);
        try (HttpClient client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        }
    }
}
