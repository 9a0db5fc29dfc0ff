package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The budget of one caller's SFMC requests, pages and time, with a clock the test moves. */
class SfmcBudgetTest {

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T07:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    @Test
    void callsBeyondTheBudgetAreRefusedAsOverBudget() {
        try (SfmcBudget.Scope scope = SfmcBudget.open(new SfmcBudget.Limits(2, 5, Duration.ofMinutes(1)), clock)) {
            SfmcBudget.spendCall();
            SfmcBudget.spendCall();
            assertThatThrownBy(SfmcBudget::spendCall).isInstanceOf(SfmcException.class)
                    .satisfies(e -> assertThat(((SfmcException) e).kind()).isEqualTo(SfmcException.Kind.OVER_BUDGET))
                    .hasMessageContaining("budget of 2 SFMC calls");
            assertThat(scope.spent().calls()).isEqualTo(2);
        }
    }

    @Test
    void pagesHaveTheirOwnBudget() {
        try (SfmcBudget.Scope scope = SfmcBudget.open(new SfmcBudget.Limits(10, 1, Duration.ofMinutes(1)), clock)) {
            SfmcBudget.spendPage();
            assertThatThrownBy(SfmcBudget::spendPage).hasMessageContaining("budget of 1 result pages");
            SfmcBudget.spendCall();
            assertThat(scope.spent().pages()).isEqualTo(1);
        }
    }

    @Test
    void noCallGoesAfterTheDeadline() {
        try (SfmcBudget.Scope scope = SfmcBudget.open(new SfmcBudget.Limits(10, 10, Duration.ofSeconds(30)), clock)) {
            SfmcBudget.spendCall();
            clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(SfmcBudget::spendCall).hasMessageContaining("deadline of PT30S");
        }
    }

    @Test
    void withoutAnOpenBudgetNothingIsLimitedAndClosingEndsTheLimit() {
        for (int i = 0; i < 1_000; i++) {
            SfmcBudget.spendCall();
        }
        try (SfmcBudget.Scope scope = SfmcBudget.open(new SfmcBudget.Limits(0, 0, Duration.ofSeconds(1)), clock)) {
            assertThatThrownBy(SfmcBudget::spendCall).isInstanceOf(SfmcException.class);
        }
        SfmcBudget.spendCall();
        SfmcBudget.spendPage();
    }
}
