package dev.dumpflow.events;

import java.net.URI;
import java.time.Instant;

/**
 * Where and how the archive function pulls a dump from the sidecar.
 *
 * <p>The token is a per-dump secret: {@link #toString()} never shows it, so it cannot leak into a
 * log line by accident.
 *
 * @param url {@code http://{host}:{port}/dumps/{dumpId}} on the sidecar
 * @param token the bearer token for this dump only
 * @param expiresAt when the token stops working
 */
public record FetchLocation(URI url, String token, Instant expiresAt) {

    public FetchLocation {
        Checks.nonNull(url, "fetch.url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("fetch.url must be http or https, was " + url);
        }
        Checks.token(token, "fetch.token");
        Checks.time(expiresAt, "fetch.expiresAt");
    }

    @Override
    public String toString() {
        return "FetchLocation[url=" + url + ", token=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
