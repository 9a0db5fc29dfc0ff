package io.sfmcsuppression.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.sfmcsuppression.web.Problem;
import io.sfmcsuppression.web.ProblemException;

/**
 * DESIGN section 7's send rules without an application: named classifications, the up-front
 * refusal of a non-transactional send without a list, and the shape checks of the explicit fields.
 * Plain, so that PIT can mutate {@link SendClassifications} (docs/RELIABILITY.md, mutation score).
 */
class SendClassificationsTest {

    private final SendClassifications classifications = new SendClassifications(new SmallRyeConfigBuilder()
            .withMapping(ConsentConfig.class)
            .withDefaultValue("consent.classifications.\"MARKETING_NEWSLETTER\".id", "cl_8e4d1c3a")
            .withDefaultValue("consent.classifications.\"MARKETING_NEWSLETTER\".default-publication-list-id", "pl_monthly_newsletter")
            .withDefaultValue("consent.classifications.\"TRANSACTIONAL_ORDER\".id", "cl_2b9e5f1d")
            .withDefaultValue("consent.classifications.\"TRANSACTIONAL_ORDER\".transactional", "true")
            .withDefaultValue("consent.classifications.\"TRANSACTIONAL_HONOURING\".id", "cl_honour")
            .withDefaultValue("consent.classifications.\"TRANSACTIONAL_HONOURING\".transactional", "true")
            .withDefaultValue("consent.classifications.\"TRANSACTIONAL_HONOURING\".honor-publication-list-opt-outs-for-transactional-sends", "true")
            .build().getConfigMapping(ConsentConfig.class));

    @Test
    void section7_aNamedClassificationBringsItsFlagsAndDefaultListWhateverTheCase() {
        SendConfig send = classifications.resolve(new SendInput("marketing_newsletter", null, null, null, null));

        assertThat(send).isEqualTo(new SendConfig("MARKETING_NEWSLETTER", false, Optional.of("pl_monthly_newsletter"),
                Optional.empty(), false));
        assertThat(send.publicationOptOutBlocks()).isTrue();
    }

    @Test
    void section7_anExplicitListOverridesTheClassificationsDefault() {
        SendConfig send = classifications.resolve(new SendInput("MARKETING_NEWSLETTER", null, " pl_other ", "510000123", null));

        assertThat(send.publicationListId()).contains("pl_other");
        assertThat(send.businessUnitId()).contains("510000123");
    }

    @Test
    void section7_aTransactionalClassificationHonoursPublicationOptOutsOnlyWhenItsFlagIsOn() {
        SendConfig order = classifications.resolve(new SendInput("TRANSACTIONAL_ORDER", null, "pl_weekly_promos", null, null));
        SendConfig honouring = classifications.resolve(new SendInput("TRANSACTIONAL_HONOURING", true, "pl_weekly_promos", null, true));

        assertThat(order.transactional()).isTrue();
        assertThat(order.publicationOptOutBlocks()).isFalse();
        assertThat(honouring.publicationOptOutBlocks()).isTrue();
    }

    @Test
    void section7_aNonTransactionalSendWithoutAPublicationListIsRejectedUpFront() {
        assertThat(errors(new SendInput(null, false, null, null, null)))
                .extracting(Problem.ItemError::field).containsExactly("send.publicationListId");
        assertThat(errors(new SendInput(null, false, "  ", null, null)))
                .extracting(Problem.ItemError::field).containsExactly("send.publicationListId");
    }

    @Test
    void anExplicitTransactionalSendNeedsNoListAndDefaultsToSfmcsFlagOff() {
        SendConfig send = classifications.resolve(new SendInput(null, true, null, null, null));

        assertThat(send).isEqualTo(new SendConfig(null, true, Optional.empty(), Optional.empty(), false));
        assertThat(classifications.resolve(new SendInput(null, true, null, null, true)).publicationOptOutBlocks()).isTrue();
    }

    @Test
    void aSendWithoutClassificationOrTransactionalFlagIsRefused() {
        assertThat(errors(new SendInput(null, null, "pl_x", null, null)))
                .extracting(Problem.ItemError::field).containsExactly("send.isTransactional");
        assertThat(errors(null)).extracting(Problem.ItemError::field).containsExactly("send");
    }

    @Test
    void anUnknownClassificationIsRefusedAndTheKnownOnesAreNamed() {
        assertThat(errors(new SendInput("MARKETING_SPAM", null, null, null, null)))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("send.classification");
                    assertThat(e.message()).contains("MARKETING_NEWSLETTER", "TRANSACTIONAL_ORDER");
                });
    }

    @Test
    void explicitFieldsThatContradictTheClassificationAreEachListed() {
        assertThat(errors(new SendInput("TRANSACTIONAL_ORDER", false, null, null, true)))
                .extracting(Problem.ItemError::field)
                .containsExactly("send.isTransactional", "send.honorPublicationListOptOutsForTransactionalSends");
        // Agreeing with the classification is no contradiction.
        assertThat(classifications.resolve(new SendInput("TRANSACTIONAL_ORDER", true, null, null, false)).transactional()).isTrue();
    }

    @Test
    void theBusinessUnitIsANumericMidAndTheListAnIdOrCustomerKey() {
        assertThat(errors(new SendInput(null, true, null, "51000012x", null)))
                .extracting(Problem.ItemError::field).containsExactly("send.businessUnitId");
        assertThat(errors(new SendInput(null, true, null, "1234567890123456789", null)))
                .extracting(Problem.ItemError::field).containsExactly("send.businessUnitId");
        assertThat(errors(new SendInput(null, true, "pl weekly", null, null)))
                .extracting(Problem.ItemError::field).containsExactly("send.publicationListId");
        assertThat(classifications.resolve(new SendInput(null, true, "pl_weekly.promos-2", "123456789012345678", null))
                .publicationListId()).contains("pl_weekly.promos-2");
    }

    private java.util.List<Problem.ItemError> errors(SendInput send) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> classifications.resolve(send));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(422);
        return e.toProblem("/api/v1/consent/validate").errors();
    }
}
