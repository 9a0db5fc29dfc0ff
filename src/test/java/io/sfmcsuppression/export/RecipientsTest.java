package io.sfmcsuppression.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The N04 recipients and retry timing, without a running application. */
class RecipientsTest {

    @Test
    void missingMarketingRecipientAndSenderAreAClearErrorNotASilentSkip() {
        assertThatThrownBy(() -> Recipients.require(config(null, null, null)))
                .isInstanceOf(Recipients.MisconfiguredException.class)
                .hasMessageContaining("NOTIFICATION_MARKETING_TO")
                .hasMessageContaining("NOTIFICATION_FROM");
    }

    @Test
    void malformedAddressesAreNamed() {
        assertThatThrownBy(() -> Recipients.require(config(List.of("marketing"), List.of("max@example.org", "vish at example"),
                "svc@example.org")))
                .hasMessageContaining("'marketing' is not an email address")
                .hasMessageContaining("'vish at example' is not an email address");
    }

    @Test
    void everyCcAddressIsKeptTrimmedAndInOrder() {
        Recipients recipients = Recipients.require(config(List.of(" marketing@example.org "),
                List.of(" max@example.org", "vish@example.org ", " "), "svc@example.org"));
        assertThat(recipients.to()).containsExactly("marketing@example.org");
        assertThat(recipients.cc()).containsExactly("max@example.org", "vish@example.org");
        assertThat(recipients.from()).isEqualTo("svc@example.org");
    }

    private static NotificationConfig config(List<String> to, List<String> cc, String from) {
        return new NotificationConfig() {
            @Override
            public Optional<List<String>> marketingTo() {
                return Optional.ofNullable(to);
            }

            @Override
            public Optional<List<String>> cc() {
                return Optional.ofNullable(cc);
            }

            @Override
            public Optional<String> from() {
                return Optional.ofNullable(from);
            }

            @Override
            public Duration retryInitial() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration retryMax() {
                return Duration.ofMinutes(30);
            }
        };
    }
}
