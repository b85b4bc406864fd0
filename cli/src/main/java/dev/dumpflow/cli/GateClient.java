package dev.dumpflow.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dumpflow.events.IndexRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Talks to the download gate: lists records, reads one, and asks for a dump's short-lived link.
 * Every gate request carries the bearer token; the link to storage is fetched without it, since the
 * presigned URL is its own credential and storage must never see the user's token.
 */
final class GateClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** The records as the index writes them; fields added later are ignored, not fatal. */
    static final ObjectMapper JSON =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private final URI gate;
    private final Token token;
    private final HttpClient http;

    GateClient(URI gate, Token token) {
        this.gate = gate;
        this.token = token;
        // Redirects are followed by hand, so that the token never goes to the storage host.
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    private record DumpList(List<IndexRecord> dumps) {}

    /** The records the user may list in {@code namespace}, newest first. */
    List<IndexRecord> list(String namespace, String workload, String since) throws CliFailure {
        StringBuilder query = new StringBuilder("namespace=").append(encode(namespace));
        if (workload != null) {
            query.append("&workload=").append(encode(workload));
        }
        if (since != null) {
            query.append("&since=").append(encode(since));
        }
        HttpResponse<byte[]> response = send(gateRequest("api/dumps?" + query));
        refuseUnlessOk(response, "list dumps in namespace " + namespace);
        List<IndexRecord> dumps = parse(response, DumpList.class).dumps();
        return dumps == null ? List.of() : dumps;
    }

    /** One dump's record. */
    IndexRecord record(String dumpId) throws CliFailure {
        HttpResponse<byte[]> response = send(gateRequest("api/dumps/" + encode(dumpId)));
        refuseUnlessOk(response, "get dump " + dumpId);
        return parse(response, IndexRecord.class);
    }

    /** The short-lived link to the stored object, from the gate's redirect. */
    URI downloadLink(String dumpId) throws CliFailure {
        HttpResponse<byte[]> response =
                send(gateRequest("api/dumps/" + encode(dumpId) + "/download"));
        if (response.statusCode() / 100 == 3) {
            String location =
                    response.headers()
                            .firstValue("Location")
                            .orElseThrow(
                                    () ->
                                            CliFailure.of(
                                                    CliFailure.Kind.FAILED,
                                                    "the gate redirected without a Location"));
            return response.request().uri().resolve(location);
        }
        refuseUnlessOk(response, "get dump " + dumpId);
        throw CliFailure.of(
                CliFailure.Kind.FAILED,
                "the gate answered HTTP " + response.statusCode() + " instead of a redirect");
    }

    /** Opens the stored object at a link from {@link #downloadLink}, without the token. */
    HttpResponse<InputStream> openObject(URI link) throws CliFailure {
        HttpRequest request = HttpRequest.newBuilder(link).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw CliFailure.of(
                    CliFailure.Kind.UNREACHABLE,
                    "cannot reach the storage at " + link.getHost() + ": " + reason(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.of(CliFailure.Kind.FAILED, "interrupted", e);
        }
        if (response.statusCode() != 200) {
            try (InputStream ignored = response.body()) {
                // nothing to read: the status is the message
            } catch (IOException e) {
                // the status is the failure to report
            }
            throw CliFailure.of(
                    CliFailure.Kind.FAILED,
                    "the storage refused the download link (HTTP "
                            + response.statusCode()
                            + "); links live a few minutes, so run the command again");
        }
        return response;
    }

    private HttpRequest gateRequest(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(base().resolve(path))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Accept", "application/json")
                        .GET();
        token.value().ifPresent(value -> builder.header("Authorization", "Bearer " + value));
        return builder.build();
    }

    private URI base() {
        String url = gate.toString();
        return url.endsWith("/") ? gate : URI.create(url + "/");
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws CliFailure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw CliFailure.of(
                    CliFailure.Kind.UNREACHABLE,
                    "cannot reach the gate at " + gate + " (--url or DUMPFLOW_URL): " + reason(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.of(CliFailure.Kind.FAILED, "interrupted", e);
        }
    }

    /**
     * Fails unless the gate answered 200.
     *
     * @param asked what was asked, as in "not allowed to ...": {@code get dump ID}
     */
    private void refuseUnlessOk(HttpResponse<byte[]> response, String asked) throws CliFailure {
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        String said = gateError(response).map(error -> ": the gate says: " + error).orElse("");
        throw switch (status) {
            case 401 ->
                    CliFailure.of(
                            CliFailure.Kind.UNAUTHORIZED,
                            token.value().isPresent()
                                    ? "the gate refused the token from "
                                            + token.origin()
                                            + " (401): it is invalid or expired"
                                            + said
                                    : "the gate wants a token (401); " + token.origin() + said);
            case 403 ->
                    CliFailure.of(
                            CliFailure.Kind.FORBIDDEN,
                            "not allowed to "
                                    + asked
                                    + " (403): ask for the dumpflow-dump-reader role there"
                                    + said);
            case 404 ->
                    CliFailure.of(
                            CliFailure.Kind.NOT_FOUND,
                            "cannot "
                                    + asked
                                    + ": it does not exist, or is not one you may get (404; the gate answers both"
                                    + " alike)"
                                    + said);
            default ->
                    CliFailure.of(
                            CliFailure.Kind.FAILED,
                            "the gate answered HTTP " + status + " to " + asked + said);
        };
    }

    private static java.util.Optional<String> gateError(HttpResponse<byte[]> response) {
        try {
            JsonNode error = JSON.readTree(response.body()).get("error");
            return error != null && error.isTextual()
                    ? java.util.Optional.of(Printable.of(error.asText()))
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static <T> T parse(HttpResponse<byte[]> response, Class<T> type) throws CliFailure {
        try {
            return JSON.readValue(response.body(), type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw CliFailure.of(
                    CliFailure.Kind.FAILED,
                    "the gate's answer is not a valid " + type.getSimpleName() + ": " + e,
                    e);
        } catch (IOException e) {
            throw CliFailure.of(CliFailure.Kind.FAILED, "cannot read the gate's answer", e);
        }
    }

    /** The exception's class and message: a ConnectException often has no message at all. */
    static String reason(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
