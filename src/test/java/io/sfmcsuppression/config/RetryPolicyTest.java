package io.sfmcsuppression.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The durable retries' one policy: the N04 mail's defaults (1 min to 30 min), the outbox's jitter. */
class RetryPolicyTest {

    @Test
    void theWaitStartsAtTheInitialOneAndDoublesPerFailureUpToTheCap() {
        RetryPolicy mail = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30), 0);
        assertThat(mail.delayAfter(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(mail.delayAfter(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(mail.delayAfter(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(mail.delayAfter(5)).isEqualTo(Duration.ofMinutes(16));
        assertThat(mail.delayAfter(6)).isEqualTo(Duration.ofMinutes(30));
        assertThat(mail.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void jitterAddsAtMostItsShareAndSpreadsRowsThatFailedTogether() {
        RetryPolicy outbox = new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), 0.2);
        var waits = IntStream.range(0, 200).mapToObj(i -> outbox.delayAfter(3)).toList();
        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ofSeconds(120), Duration.ofSeconds(144)));
        assertThat(waits.stream().distinct().count()).isGreaterThan(10);
        assertThat(outbox.delayAfter(100)).isBetween(Duration.ofHours(1), Duration.ofMinutes(72));
    }

    @Test
    void aPolicyThatCouldNotWaitIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofMinutes(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1), 0))
                .hasMessageContaining("at most its cap");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(2), 1.5))
                .hasMessageContaining("jitter");
    }
}
