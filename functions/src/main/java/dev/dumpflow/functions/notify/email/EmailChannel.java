package dev.dumpflow.functions.notify.email;

import dev.dumpflow.functions.FunctionFailure;
import dev.dumpflow.functions.OneLine;
import dev.dumpflow.functions.notify.Channel;
import dev.dumpflow.functions.notify.Notification;
import dev.dumpflow.functions.notify.NotifyConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * E-mail through Quarkus Mailer ({@code quarkus.mailer.*}): HTML plus plain text, to {@code
 * dumpflow.notify.email.to} and the owning team's own recipients. A send that gets no answer within
 * {@code quarkus.mailer.timeout} is tried once more; an SMTP server that fails makes the event
 * retried.
 */
@ApplicationScoped
public class EmailChannel implements Channel {

    private static final Logger LOG = Logger.getLogger(EmailChannel.class);

    /** Sends of one message when the first times out; more is left to the Broker's retries. */
    private static final int ATTEMPTS = 2;

    private final Mailer mailer;
    private final NotifyConfig.Email config;

    EmailChannel(Mailer mailer, NotifyConfig config) {
        this.mailer = mailer;
        this.config = config.email();
    }

    @Override
    public String name() {
        return "email";
    }

    /** On when any recipient is configured; teams' own come per message, see {@link #send}. */
    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void send(Notification n) {
        Set<String> to = new LinkedHashSet<>(config.to().orElse(List.of()));
        to.addAll(n.teamRecipients());
        to.removeIf(String::isBlank);
        if (to.isEmpty()) {
            LOG.debugf("%s: no e-mail recipient configured or annotated", n.context());
            return;
        }
        Mail mail =
                new Mail()
                        .setSubject(subject(n))
                        .setHtml(EmailBody.html(n))
                        .setText(EmailBody.text(n))
                        .setTo(List.copyOf(to));
        for (int attempt = 1; ; attempt++) {
            try {
                mailer.send(mail);
                break;
            } catch (RuntimeException e) {
                if (attempt < ATTEMPTS && e instanceof TimeoutException) {
                    // The client lost the exchange (see quarkus.mailer.timeout in
                    // application.properties); a new connection is very likely to go through.
                    LOG.warnf(
                            "%s: no answer from the SMTP server within quarkus.mailer.timeout;"
                                    + " trying once more on a new connection",
                            n.context());
                    continue;
                }
                throw FunctionFailure.unavailable(
                        "the SMTP server did not take the mail ("
                                + e.getClass().getSimpleName()
                                + ")",
                        e);
            }
        }
        LOG.infof("%s: e-mailed %d recipient(s)", n.context(), to.size());
    }

    private String subject(Notification n) {
        // Header injection: the title is one line already; the configured prefix is made one too.
        return OneLine.of(config.subjectPrefix() + " " + n.title());
    }
}
