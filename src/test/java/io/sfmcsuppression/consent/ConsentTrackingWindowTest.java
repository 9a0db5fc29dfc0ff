package io.sfmcsuppression.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The SentEvent window starts at midnight UTC of the lookback day, whatever the time of the call. */
class ConsentTrackingWindowTest {

    @Test
    void aFixedClockGivesTheExactStartOfTheWindow() {
        Clock afternoon = Clock.fixed(Instant.parse("2026-12-01T15:30:12Z"), ZoneOffset.UTC);
        Clock lateEvening = Clock.fixed(Instant.parse("2026-12-01T23:59:59Z"), ZoneOffset.UTC);

        assertThat(SentEventTracking.since(afternoon, Period.ofDays(180))).isEqualTo(Instant.parse("2026-06-04T00:00:00Z"));
        assertThat(SentEventTracking.since(lateEvening, Period.ofDays(180))).isEqualTo(Instant.parse("2026-06-04T00:00:00Z"));
    }
}
