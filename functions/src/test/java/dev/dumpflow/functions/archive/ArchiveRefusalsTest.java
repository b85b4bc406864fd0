package dev.dumpflow.functions.archive;

import static dev.dumpflow.functions.archive.ArchiveRequests.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.events.DumpClosed;
import dev.dumpflow.events.EventTypes;
import dev.dumpflow.functions.s3.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Events the archive refuses: each gets a 4xx (or 503 when retrying can help) and stores nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class ArchiveRefusalsTest {

    private static final String BUCKET = S3ProxyResource.BUCKET;
    private static final DumpContent SMALL = DumpContent.generated(3_000_000, 11);
    private static SidecarStandIn sidecar;

    @Inject S3Client s3;
    @Inject ObjectMapper mapper;

    @BeforeAll
    static void startSidecar() throws Exception {
        sidecar = SidecarStandIn.start(InetAddress.getByName("0.0.0.0"));
    }

    @AfterAll
    static void stopSidecar() {
        sidecar.close();
    }

    private DumpClosed served(String dumpId, URI url) {
        sidecar.serve(dumpId, TOKEN, SMALL);
        return ArchiveRequests.closed(dumpId, SMALL.size(), url, TOKEN);
    }

    private void assertNothingStoredFor(String dumpId) {
        assertThat(ArchiveRequests.objects(s3, BUCKET, "dumps/"))
                .noneMatch(o -> o.key().contains(dumpId));
        assertThat(ArchiveRequests.uploads(s3, BUCKET)).noneMatch(u -> u.key().contains(dumpId));
    }

    @Test
    void refusesAHostNotAllowedWithoutContactingIt() throws Exception {
        String dumpId = ArchiveRequests.newDumpId();
        // The stand-in listens on every interface; this machine's own non-loopback address is
        // reachable but outside the default allowed hosts (loopback only).
        URI url =
                sidecar.url(dumpId)
                        .resolve("//" + siteAddress() + ":" + sidecar.port() + "/dumps/" + dumpId);
        DumpClosed closed = served(dumpId, url);

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.asString()).contains("not in dumpflow.fetch.allowed-hosts");
        assertThat(sidecar.requests()).noneMatch(r -> r.contains(dumpId));
        assertNothingStoredFor(dumpId);
    }

    @Test
    void refusesTheCloudMetadataAddress() {
        String dumpId = ArchiveRequests.newDumpId();
        DumpClosed closed =
                served(dumpId, URI.create("http://169.254.169.254/latest/meta-data/" + dumpId));

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.asString()).contains("link-local");
        assertNothingStoredFor(dumpId);
    }

    @Test
    void doesNotFollowARedirect() {
        String target = ArchiveRequests.newDumpId();
        served(target, sidecar.url(target));
        String dumpId = ArchiveRequests.newDumpId();
        DumpClosed closed = served(dumpId, sidecar.url(dumpId));
        sidecar.redirect(dumpId, sidecar.url(target));

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.asString()).contains("redirect");
        assertThat(sidecar.requests()).noneMatch(r -> r.contains(target));
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers422WhenTheSidecarRefusesTheToken() {
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, TOKEN, SMALL);
        DumpClosed closed =
                ArchiveRequests.closed(dumpId, SMALL.size(), sidecar.url(dumpId), "wrong-token");

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.asString()).contains("401").doesNotContain("wrong-token");
        assertThat(sidecar.holds(dumpId)).isTrue();
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers422WhenTheDumpIsNotTheAnnouncedSize() {
        String dumpId = ArchiveRequests.newDumpId();
        sidecar.serve(dumpId, TOKEN, SMALL);
        DumpClosed closed =
                ArchiveRequests.closed(dumpId, SMALL.size() + 1, sidecar.url(dumpId), TOKEN);

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(sidecar.holds(dumpId)).isTrue();
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers503WhenTheSidecarIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String dumpId = ArchiveRequests.newDumpId();
        DumpClosed closed =
                ArchiveRequests.closed(
                        dumpId,
                        SMALL.size(),
                        URI.create("http://127.0.0.1:" + closedPort + "/dumps/" + dumpId),
                        TOKEN);

        Response response = new ArchiveRequests(mapper).postBinary(closed);

        assertThat(response.statusCode()).isEqualTo(503);
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers400ToUnparseableJson() {
        String dumpId = ArchiveRequests.newDumpId();
        Response response =
                new ArchiveRequests(mapper)
                        .postBinary(EventTypes.DUMP_CLOSED, "{\"dumpId\": \"" + dumpId, dumpId);

        assertThat(response.statusCode()).isEqualTo(400);
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers400ToAnEventMissingAField() {
        String dumpId = ArchiveRequests.newDumpId();
        ArchiveRequests requests = new ArchiveRequests(mapper);
        ObjectNode data = mapper.valueToTree(served(dumpId, sidecar.url(dumpId)));
        data.remove("fetch");

        Response response =
                requests.postBinary(EventTypes.DUMP_CLOSED, requests.json(data), dumpId);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(sidecar.requests()).noneMatch(r -> r.contains(dumpId));
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers400ToAFieldItsRecordRefuses() {
        String dumpId = ArchiveRequests.newDumpId();
        ArchiveRequests requests = new ArchiveRequests(mapper);
        ObjectNode data = mapper.valueToTree(served(dumpId, sidecar.url(dumpId)));
        data.put("sizeBytes", -1);

        Response response =
                requests.postBinary(EventTypes.DUMP_CLOSED, requests.json(data), dumpId);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains("sizeBytes must not be negative");
        assertNothingStoredFor(dumpId);
    }

    @Test
    void answers4xxToAnUnknownType() {
        String dumpId = ArchiveRequests.newDumpId();
        ArchiveRequests requests = new ArchiveRequests(mapper);
        DumpClosed closed = served(dumpId, sidecar.url(dumpId));

        Response response =
                requests.postBinary("dev.dumpflow.dump.shredded", requests.json(closed), dumpId);

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(sidecar.requests()).noneMatch(r -> r.contains(dumpId));
        assertNothingStoredFor(dumpId);
    }

    private static String siteAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address
                        && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress()
                        && nic.isUp()) {
                    return address.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("this test needs one non-loopback IPv4 address");
    }
}
