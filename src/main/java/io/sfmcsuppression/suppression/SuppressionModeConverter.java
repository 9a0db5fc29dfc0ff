package io.sfmcsuppression.suppression;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads SUPPRESSION_MODE in the documented spelling. */
public class SuppressionModeConverter implements Converter<SuppressionMode> {

    @Override
    public SuppressionMode convert(String value) {
        return SuppressionMode.parse(value);
    }
}
