package io.sfmcsuppression.export;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Live mode with the N04 recipients set and the mailer pointed at GreenMail on {@link #SMTP_PORT}. */
public class LiveMailProfile implements QuarkusTestProfile {

    /** Fixed, because the profile and the test class may not share static state; unlikely to clash. */
    static final int SMTP_PORT = 43125;
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
                Map.entry("quarkus.mailer.mock", "false"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", String.valueOf(SMTP_PORT)));
    }
}
