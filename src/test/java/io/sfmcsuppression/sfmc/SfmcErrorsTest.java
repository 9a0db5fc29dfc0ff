package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which 400 messages fail a whole batch at once, and which split it to find the bad row. */
class SfmcErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "Primary key 'email address' does not exist.",
            "Parameter {5a2b6f1c-0d3e-4e8f-9a1b-2c3d4e5f6a7b} is invalid.",
            "Unable to save rows for data extension ID 1f2e; Column 'Date Addd' does not exist",
            "Invalid column name 'Emial Address'",
            "Data extension with key ASL_TYPO was not found",
            "CustomObjectNotFound"})
    void aMessageAboutTheDataExtensionFailsTheWholeBatch(String message) {
        assertThat(new SfmcErrors.SfmcError("10000", message, null).concernsWholeDataExtension()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Unable to save rows for data extension ID 1f2e; Email: The value for column [Email Address] is not a valid "
                    + "email address. Parse error [InvalidEmailAddress]",
            "Unable to save rows for data extension ID 1f2e",
            "The value for column [Date Added] is not a valid date",
            "Parameter Email Address is invalid"})
    void aMessageAboutARowSplitsTheBatch(String message) {
        assertThat(new SfmcErrors.SfmcError("10006", message, null).concernsWholeDataExtension()).isFalse();
    }
}
