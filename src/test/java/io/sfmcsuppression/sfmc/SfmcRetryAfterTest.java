package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Retry-After read defensively and capped; SFMC messages redacted before they are cut. */
class SfmcRetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void secondsAndHttpDatesAreWaitsAndGarbageIsNone() {
        assertThat(RetryAfter.parse("5", NOW)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse(" 120 ", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 12:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 11:00:00 GMT", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-3", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.ofSeconds(0)).isEmpty();
    }

    @Test
    void everyWaitIsCappedAtFifteenMinutes() {
        assertThat(RetryAfter.parse("86400", NOW)).contains(Duration.ofMinutes(15));
        assertThat(RetryAfter.parse("999999999999", NOW)).contains(Duration.ofMinutes(15));
        assertThat(RetryAfter.parse("Wed, 02 Dec 2026 12:00:00 GMT", NOW)).contains(Duration.ofMinutes(15));
        assertThat(RetryAfter.ofSeconds(7200)).contains(Duration.ofMinutes(15));
    }

    @Test
    void aMessageIsRedactedBeforeItIsTruncated() {
        String secret = "Sup3r-s3cret-client-value";
        SfmcConfig config = new SmallRyeConfigBuilder().withMapping(SfmcConfig.class)
                .withDefaultValue("sfmc.client-secret", secret).build().getConfigMapping(SfmcConfig.class);
        Redactor redactor = new Redactor(config);
        String echoed = "x".repeat(40) + secret + " Bearer abc.def-123 trailing";

        // Cut first, the secret's start would survive: the cut falls inside it.
        String safe = redactor.safe(echoed, 50);
        assertThat(safe).startsWith("x".repeat(40) + "***").doesNotContain("Sup3r").doesNotContain("abc.def");
        assertThat(echoed.substring(0, 50)).contains("Sup3r");
    }
}
