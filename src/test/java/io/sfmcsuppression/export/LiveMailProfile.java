package io.sfmcsuppression.export;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.sfmcsuppression.support.SmtpServer;

/** Live mode with the N04 recipients set and the mailer pointed at a GreenMail server of its own. */
public class LiveMailProfile implements QuarkusTestProfile {

    static final String MARKETING = "marketing-team@example.org";
    static final String CC_MAX = "max@example.org";
    static final String CC_VISH = "vish@example.org";
    static final String FROM = "suppression-service@example.org";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("suppression.mode", "live"),
                Map.entry("notification.marketing-to", MARKETING),
                Map.entry("notification.cc", CC_MAX + "," + CC_VISH),
                Map.entry("notification.from", FROM),
                Map.entry("notification.retry-initial", "PT1M"),
                Map.entry("export.max-wait", "PT0S"),
                Map.entry("quarkus.mailer.mock", "false"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SmtpServer.class));
    }
}
