package io.sfmcsuppression.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Seed pitfall 7 (DESIGN section 7): which subscriber keys are accepted, and why one is not. Plain, for PIT. */
class SubscriberKeyFormatsTest {

    private static SubscriberKeyFormats formats(String formats, String pattern) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withMapping(ConsentConfig.class)
                .withDefaultValue("consent.subscriber-key.formats", formats);
        if (pattern != null) {
            builder.withDefaultValue("consent.subscriber-key.pattern", pattern);
        }
        return new SubscriberKeyFormats(builder.build().getConfigMapping(ConsentConfig.class));
    }

    @Test
    void section7_theDefaultFormatsAcceptEmailSha256AndUuidAndNothingElse() {
        SubscriberKeyFormats formats = formats("email,sha256,uuid", null);

        assertThat(formats.problem("jane.doe@acme.org")).isEmpty();
        assertThat(formats.problem("a".repeat(64) + "@x.example")).isEmpty();
        assertThat(formats.problem("0123456789abcdef".repeat(4))).isEmpty();
        assertThat(formats.problem("123e4567-e89b-12d3-a456-426614174000")).isEmpty();
        assertThat(formats.problem("0031234567")).contains("does not match an accepted subscriber key format (email, sha256, uuid)");
        assertThat(formats.problem("a".repeat(65) + "@x.example")).isPresent();
        assertThat(formats.problem("jane@acme")).isPresent();
        assertThat(formats.problem("jane@-acme.org")).isPresent();
        assertThat(formats.problem("0123456789abcdef".repeat(4) + "0")).isPresent();
    }

    @Test
    void emptyTooLongAndPaddedKeysAreRefusedWithTheirReason() {
        SubscriberKeyFormats formats = formats("email", null);

        assertThat(formats.problem(null)).contains("is empty");
        assertThat(formats.problem("")).contains("is empty");
        assertThat(formats.problem(" jane@acme.org")).contains("has leading or trailing white space");
        assertThat(formats.problem("jane@acme.org\t")).contains("has leading or trailing white space");
        String longest = "j@" + "a".repeat(SubscriberKeyFormats.MAX_LENGTH - 6) + ".org";
        assertThat(longest).hasSize(SubscriberKeyFormats.MAX_LENGTH);
        assertThat(formats.problem(longest)).isEmpty();
        assertThat(formats.problem("j@" + "a".repeat(SubscriberKeyFormats.MAX_LENGTH - 5) + ".org"))
                .contains("is longer than 254 characters");
    }

    @Test
    void onlyTheConfiguredFormatsCountAndNamesAreCaseAndSpaceInsensitive() {
        SubscriberKeyFormats formats = formats(" UUID ", null);

        assertThat(formats.problem("123e4567-e89b-12d3-a456-426614174000")).isEmpty();
        assertThat(formats.problem("jane@acme.org")).contains("does not match an accepted subscriber key format (uuid)");
    }

    @Test
    void aPatternFormatUsesTheConfiguredPatternAndNeedsOne() {
        assertThat(formats("pattern", "CUST-[0-9]{6}").problem("CUST-000123")).isEmpty();
        assertThat(formats("pattern", "CUST-[0-9]{6}").problem("CUST-123")).isPresent();
        assertThatThrownBy(() -> formats("pattern", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consent.subscriber-key.pattern is not set");
        assertThatThrownBy(() -> formats("email,phone", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'phone'");
    }
}
