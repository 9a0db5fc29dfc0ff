package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The redactor at its edges: a secret of four characters is redacted, a shorter one is not (it
 * would blank every "ab" of every message), and a message of exactly the limit is kept whole.
 * Written for the mutants PIT left alive in {@link Redactor} (docs/RELIABILITY.md).
 */
class RedactorEdgesTest {

    private static Redactor redactor(String secret) {
        return new Redactor(new SmallRyeConfigBuilder().withMapping(SfmcConfig.class)
                .withDefaultValue("sfmc.client-secret", secret).build().getConfigMapping(SfmcConfig.class));
    }

    @Test
    void aSecretOfFourCharactersIsRedactedAndAShorterOneIsNot() {
        assertThat(redactor("k3y!").redact("echo k3y! back")).isEqualTo("echo *** back");
        assertThat(redactor("k3y").redact("echo k3y back")).isEqualTo("echo k3y back");
    }

    @Test
    void aMessageOfExactlyTheLimitIsKeptWholeAndNoneStaysNone() {
        Redactor redactor = redactor("Sup3r-s3cret-client-value");

        assertThat(redactor.safe("x".repeat(20), 20)).isEqualTo("x".repeat(20));
        assertThat(redactor.safe("x".repeat(21), 20)).isEqualTo("x".repeat(20) + "...");
        assertThat(redactor.safe(null, 20)).isNull();
        assertThat(redactor.redact(null)).isNull();
    }
}
