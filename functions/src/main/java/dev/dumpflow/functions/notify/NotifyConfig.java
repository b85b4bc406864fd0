package dev.dumpflow.functions.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where notifications go. Every channel but the console is optional. */
@ConfigMapping(prefix = "dumpflow.notify")
public interface NotifyConfig {

    /** The Slack incoming webhook. */
    Slack slack();

    /** E-mail through Quarkus Mailer ({@code quarkus.mailer.*}). */
    Email email();

    /** Early warnings when memory crosses a threshold. */
    Threshold threshold();

    /** Slack incoming-webhook settings. */
    interface Slack {

        /** The webhook URL; a secret, never logged. Slack is off when unset. */
        Optional<String> webhookUrl();

        /** Attempts per message, first included, on 429 and 5xx answers. */
        @WithDefault("4")
        int maxAttempts();

        /** The most a message may wait in total for 429 Retry-After and retry backoff. */
        @WithDefault("30s")
        Duration maxRetryWait();

        /** Wait before retrying a 5xx or unreachable webhook; doubles per attempt. */
        @WithDefault("1s")
        Duration backoff();

        /** Connect and response timeout of one post. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** E-mail settings. */
    interface Email {

        /**
         * Recipients of every notification; the pod's or workload's {@code
         * dumpflow.dev/notify-email} annotation adds the team's own. E-mail is off when neither
         * gives an address.
         */
        Optional<List<String>> to();

        /** Put in front of every subject. */
        @WithDefault("[dumpflow]")
        String subjectPrefix();
    }

    /** Threshold warning settings. */
    interface Threshold {

        /**
         * At most one warning per workload (namespace and workload, else the pod) in this window;
         * crossings inside it are counted and reported with the next warning.
         */
        @WithDefault("10m")
        Duration minInterval();
    }
}
