package dev.dumpflow.functions.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * GreenMail behind a {@link StallingSmtp} relay, the mailer pointed at the relay with a one-second
 * timeout. Injects both.
 */
public class StallingSmtpResource implements QuarkusTestResourceLifecycleManager {

    private GreenMail greenMail;
    private StallingSmtp relay;

    @Override
    public Map<String, String> start() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        greenMail.start();
        relay = new StallingSmtp(greenMail.getSmtp().getPort());
        Map<String, String> config = new HashMap<>(GreenMailResource.mailerAt(relay.port()));
        config.put("quarkus.mailer.timeout", "1s");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(greenMail, new TestInjector.MatchesType(GreenMail.class));
        injector.injectIntoFields(relay, new TestInjector.MatchesType(StallingSmtp.class));
    }

    @Override
    public void stop() {
        try {
            if (relay != null) {
                relay.close();
            }
        } catch (IOException e) {
            // stopping anyway
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
