package dev.dumpflow.functions.notify;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link SlackRecorder}, points the Slack channel at it, injects it into tests. */
public class SlackRecorderResource implements QuarkusTestResourceLifecycleManager {

    private SlackRecorder recorder;

    @Override
    public Map<String, String> start() {
        recorder = new SlackRecorder();
        return Map.of("dumpflow.notify.slack.webhook-url", recorder.webhookUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(recorder, new TestInjector.MatchesType(SlackRecorder.class));
    }

    @Override
    public void stop() {
        if (recorder != null) {
            recorder.close();
        }
    }
}
