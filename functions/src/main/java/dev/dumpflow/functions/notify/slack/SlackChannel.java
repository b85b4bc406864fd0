package dev.dumpflow.functions.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.notify.Channel;
import dev.dumpflow.functions.notify.Notification;
import dev.dumpflow.functions.notify.NotifyConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Posts messages to a Slack incoming webhook with the JDK's {@link HttpClient}. It honours 429 with
 * {@code Retry-After} and retries 5xx and unreachable webhooks a little, within {@code
 * max-retry-wait} in total, then fails as unavailable so the Broker tries again later. Other 4xx
 * answers can never succeed: they are logged and not retried. The webhook URL is a secret: no log
 * line or failure message carries it, nor an exception text that might.
 */
@ApplicationScoped
public class SlackChannel implements Channel {

    private static final Logger LOG = Logger.getLogger(SlackChannel.class);

    private final NotifyConfig.Slack config;
    private final ObjectMapper json;
    private final HttpClient http;

    SlackChannel(NotifyConfig config, ObjectMapper json) {
        this.config = config.slack();
        this.json = json;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(this.config.timeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean enabled() {
        return config.webhookUrl().filter(u -> !u.isBlank()).isPresent();
    }

    @Override
    public void send(Notification n) {
        HttpRequest request = request(n);
        Duration waited = Duration.ZERO;
        Duration backoff = config.backoff();
        int attempts = Math.max(1, config.maxAttempts());
        for (int attempt = 1; ; attempt++) {
            Answer answer = post(request);
            int status = answer.status();
            if (status >= 200 && status < 300) {
                LOG.infof("%s: posted to Slack (attempt %d)", n.context(), attempt);
                return;
            }
            Duration wait;
            if (status == 429) {
                wait = retryAfter(answer.retryAfter());
            } else if (status >= 500 || status < 0) {
                wait = backoff;
                backoff = backoff.multipliedBy(2);
            } else {
                throw new Refused(
                        ("Slack refused the message with %d (%s); not retrying: check the webhook"
                                        + " (revoked? channel archived?) and the payload")
                                .formatted(status, answer.body()));
            }
            String what = status < 0 ? "was unreachable" : "answered " + status;
            if (attempt >= attempts || waited.plus(wait).compareTo(config.maxRetryWait()) > 0) {
                throw FunctionFailure.unavailable(
                        "the Slack webhook " + what + " after " + attempt + " attempt(s)", null);
            }
            LOG.infof(
                    "%s: the Slack webhook %s; retrying in %d ms",
                    n.context(), what, wait.toMillis());
            pause(wait);
            waited = waited.plus(wait);
        }
    }

    /** What the webhook answered: status -1 when it could not be reached. */
    private record Answer(int status, String retryAfter, String body) {}

    private Answer post(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    body.length() > 200 ? body.substring(0, 200) : body);
        } catch (IOException e) {
            // Only the type: some exception texts of the HTTP client quote the URI.
            return new Answer(-1, null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FunctionFailure.unavailable("interrupted while posting to Slack", null);
        }
    }

    private HttpRequest request(Notification n) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(BlockKit.render(n, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Slack message did not serialise", e);
        }
        return HttpRequest.newBuilder(URI.create(config.webhookUrl().orElseThrow()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Slack sends whole seconds; an HTTP date or garbage counts as one second. */
    private static Duration retryAfter(String header) {
        if (header == null) {
            return Duration.ofSeconds(1);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FunctionFailure.unavailable("interrupted while waiting to retry Slack", null);
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
