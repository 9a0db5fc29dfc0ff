package io.sfmcsuppression.optout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class CanSpamWindowTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void tenBusinessDaysFromAFridaySkipTwoWeekends() {
        CanSpamWindow window = new CanSpamWindow(10, List.of(), NEW_YORK);
        // Friday 2026-11-06, 14:00 in New York.
        Instant received = Instant.parse("2026-11-06T19:00:00Z");
        assertThat(window.lastDay(received)).isEqualTo(LocalDate.of(2026, 11, 20));
        assertThat(window.deadline(received)).isEqualTo(Instant.parse("2026-11-21T05:00:00Z"));
    }

    @Test
    void aHolidayPushesTheDeadlineToTheNextBusinessDay() {
        CanSpamWindow window = new CanSpamWindow(10, List.of(LocalDate.of(2026, 11, 11)), NEW_YORK);
        assertThat(window.lastDay(Instant.parse("2026-11-06T19:00:00Z"))).isEqualTo(LocalDate.of(2026, 11, 23));
    }

    @Test
    void theDayIsTakenInTheServiceZone() {
        CanSpamWindow window = new CanSpamWindow(1, List.of(), NEW_YORK);
        // 03:00 UTC on Saturday is still Friday evening in New York: the window ends on Monday.
        assertThat(window.lastDay(Instant.parse("2026-11-07T03:00:00Z"))).isEqualTo(LocalDate.of(2026, 11, 9));
    }

    @Test
    void businessDaysLeftCountsOnlyWeekdays() {
        CanSpamWindow window = new CanSpamWindow(10, List.of(), NEW_YORK);
        Instant received = Instant.parse("2026-11-06T19:00:00Z");
        assertThat(window.businessDaysLeft(received, Instant.parse("2026-11-13T15:00:00Z"))).isEqualTo(5);
        assertThat(window.businessDaysLeft(received, Instant.parse("2026-11-20T15:00:00Z"))).isZero();
        assertThat(window.businessDaysLeft(received, Instant.parse("2026-11-23T15:00:00Z"))).isEqualTo(-1);
    }
}
