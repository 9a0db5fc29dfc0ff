package io.sfmcsuppression.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * DESIGN rule 5's recipients at the edges of "looks like an address": an {@code @} needs something
 * on both sides. Written for the mutants PIT left alive in {@code Recipients} (docs/RELIABILITY.md).
 */
class RecipientAddressShapeTest {

    private static NotificationConfig config(String to) {
        return new SmallRyeConfigBuilder().withMapping(NotificationConfig.class)
                .withDefaultValue("notification.marketing-to", to)
                .withDefaultValue("notification.from", "svc@example.org")
                .build().getConfigMapping(NotificationConfig.class);
    }

    @Test
    void rule5_theShortestAddressIsAcceptedAndAnAtWithNothingBeforeOrAfterItIsNot() {
        assertThat(Recipients.require(config("m@x")).to()).containsExactly("m@x");
        assertThatThrownBy(() -> Recipients.require(config("@example.org")))
                .hasMessage("The N04 mail cannot be sent: '@example.org' is not an email address.");
        assertThatThrownBy(() -> Recipients.require(config("marketing@")))
                .hasMessage("The N04 mail cannot be sent: 'marketing@' is not an email address.");
    }
}
